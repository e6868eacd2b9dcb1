"""The task force: its members and tasks, the owners' intentions gathered, and the
legal opinion with its sign-off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.uploads import read_upload
from gongzhi.registry.models import (
    Compound,
    PropertyCompany,
)

from ..models import (
    ConsolidationCase,
    Intention,
    LegalOpinion,
    ProviderIntention,
    TaskForce,
    TaskForceMember,
    WorkStatus,
    WorkTask,
)

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- task force ---------------------------------------------------------------------


@dataclass(frozen=True)
class MemberEntry:
    name: str
    organisation: str
    responsibilities: str


@transaction.atomic
def task_force_form(
    *,
    case: ConsolidationCase,
    name: str,
    leader: str,
    leader_organisation: str,
    formed_on: dt.date,
    actor: User | None,
    guiding_departments: str = "",
    members: Sequence[MemberEntry] = (),
) -> TaskForce:
    if hasattr(case, "task_force"):
        raise ApplicationError(_("The case already has its task force."))
    if not name.strip() or not leader.strip():
        raise ApplicationError(_("Give the task force a name and a leader."))
    task_force = TaskForce.objects.create(
        case=case,
        name=name.strip(),
        leader=leader.strip(),
        leader_organisation=leader_organisation.strip(),
        guiding_departments=guiding_departments.strip(),
        formed_on=formed_on,
    )
    for member in members:
        task_force_member_add(task_force=task_force, entry=member, actor=actor)
    return task_force


def task_force_member_add(
    *, task_force: TaskForce, entry: MemberEntry, actor: User | None
) -> TaskForceMember:
    if not entry.name.strip() or not entry.responsibilities.strip():
        raise ApplicationError(_("Give the member's name and responsibilities."))
    return TaskForceMember.objects.create(
        task_force=task_force,
        name=entry.name.strip(),
        organisation=entry.organisation.strip(),
        responsibilities=entry.responsibilities.strip(),
    )


def work_task_add(
    *,
    task_force: TaskForce,
    title: str,
    owner: TaskForceMember,
    due_on: dt.date,
    actor: User | None,
) -> WorkTask:
    if owner.task_force_id != task_force.pk:
        raise ApplicationError(_("The responsible person is not a member of this task force."))
    if not title.strip():
        raise ApplicationError(_("Say what the task is."))
    return WorkTask.objects.create(
        task_force=task_force, title=title.strip(), owner=owner, due_on=due_on
    )


@transaction.atomic
def work_task_close(*, task: WorkTask, done_on: dt.date, actor: User | None) -> WorkTask:
    task = WorkTask.objects.select_for_update().get(pk=task.pk)
    if task.status != WorkStatus.OPEN:
        raise ApplicationError(_("This task is already closed."))
    task.status, task.done_on = WorkStatus.DONE, done_on
    task.save(update_fields=["status", "done_on"])
    return task


# --- engagement and legality ----------------------------------------------------------


@transaction.atomic
def intention_record(
    *,
    case: ConsolidationCase,
    compound: Compound,
    company: PropertyCompany,
    intention: str,
    stated_on: dt.date,
    actor: User,
    notice_reference: str = "",
    note: str = "",
) -> ProviderIntention:
    """An exiting provider's intention, with the date and its written notice."""
    if intention not in Intention.values:
        raise ApplicationError(_("Unknown intention."))
    if not case.members.filter(compound=compound).exists():
        raise ApplicationError(_("%(compound)s is not part of this case.") % {"compound": compound})
    if stated_on > timezone.localdate():
        raise ApplicationError(_("The date cannot be in the future."))
    if intention == Intention.LEAVE and not notice_reference.strip():
        raise ApplicationError(
            _("A company that leaves gives written notice; record its reference and date.")
        )
    return ProviderIntention.objects.create(
        case=case,
        compound=compound,
        company=company,
        intention=intention,
        stated_on=stated_on,
        notice_reference=notice_reference.strip(),
        note=note.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def legal_opinion_upload(
    *,
    case: ConsolidationCase,
    association: str,
    title: str,
    conclusion: str,
    upload,
    actor: User | None,
    now: dt.datetime | None = None,
) -> LegalOpinion:
    """An industry association's expert opinion, as the signed PDF."""
    if not association.strip() or not title.strip() or not conclusion.strip():
        raise ApplicationError(_("Give the association, the title and the conclusion."))
    checked = read_upload(upload, kinds=("pdf",))
    opinion = LegalOpinion(
        case=case,
        association=association.strip(),
        title=title.strip(),
        conclusion=conclusion.strip(),
        uploaded_by=actor,
        uploaded_at=clock.now(now),
    )
    return checked.save_into(opinion)


@transaction.atomic
def legal_opinion_sign_off(
    *, opinion: LegalOpinion, actor: User | None, now: dt.datetime | None = None
) -> LegalOpinion:
    """The sub-district signs off an opinion it has read; not the person who uploaded it."""
    opinion = LegalOpinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.signed_off_at is not None:
        raise ApplicationError(_("Already signed off."))
    if opinion.uploaded_by_id == getattr(actor, "pk", None):
        raise ApplicationError(_("Someone other than the uploader signs the opinion off."))
    opinion.signed_off_by, opinion.signed_off_at = actor, clock.now(now)
    opinion.save(update_fields=["signed_off_by", "signed_off_at"])
    audit_log(
        event_type=EventType.LEGAL_OPINION_SIGNED,
        actor=actor,
        subject=opinion.case,
        new={"opinion": opinion.title, "sha256": opinion.sha256},
    )
    return opinion
