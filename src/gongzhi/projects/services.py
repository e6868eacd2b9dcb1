"""Writes of street-improvement projects: the project and its residents' areas, its
items (progress, weight, budget and spending in fen), milestones with photos, links
to the meetings, decisions, notices and service requests behind it, publishing.
Each write is checked whole before anything is saved and leaves an audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.inputs import clean_text as _text
from gongzhi.core.money import fen
from gongzhi.core.uploads import read_upload
from gongzhi.registry.models import Neighbourhood, SubDistrict

from .events import ProjectEvent
from .models import ItemStatus, Milestone, MilestonePhoto, Project, ProjectItem

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

MAX_PHOTOS = 6


def _manage(actor: User, project: Project) -> None:
    if not actor.has_perm("projects.manage", project):
        raise PermissionRefused(_("You do not manage this project."))


def _dates(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ApplicationError(_("A project ends on or after the day it starts."))


@transaction.atomic
def project_create(
    *,
    sub_district: SubDistrict,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    actor: User,
    summary: str = "",
    neighbourhoods: Iterable[Neighbourhood] = (),
) -> Project:
    if not actor.has_perm("projects.create", sub_district):
        raise PermissionRefused(_("Only the sub-district's officials start a project."))
    areas = list(neighbourhoods)
    if any(area.sub_district_id != sub_district.pk for area in areas):
        raise ApplicationError(_("Every residents' area must be in the sub-district."))
    _dates(starts_on, ends_on)
    project = Project.objects.create(
        sub_district=sub_district,
        title=_text(title, what=_("title"), limit=200, required=True),
        summary=_text(summary, what=_("summary"), limit=5000, required=False),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    project.neighbourhoods.set(areas)
    audit_log(
        event_type=ProjectEvent.PROJECT_CHANGED,
        actor=actor,
        subject=project,
        new={"title": project.title, "areas": [a.name for a in areas]},
    )
    return project


@transaction.atomic
def project_publish(*, project: Project, published: bool, actor: User) -> Project:
    """Show the project to the public, or take it back to a draft."""
    _manage(actor, project)
    if published and not project.items.exists():
        raise ApplicationError(_("Add the project's items before publishing it."))
    project.published = bool(published)
    project.save(update_fields=["published"])
    audit_log(
        event_type=ProjectEvent.PROJECT_CHANGED,
        actor=actor,
        subject=project,
        new={"published": project.published},
    )
    return project


@transaction.atomic
def item_save(
    *,
    project: Project,
    actor: User,
    title: str,
    item: ProjectItem | None = None,
    description: str = "",
    weight: int = 1,
    budget: object = "",
    spent: object = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    location: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    status: str | None = None,
) -> ProjectItem:
    """Add an item, or change one (its progress changes only with a milestone)."""
    _manage(actor, project)
    if item is not None and item.project_id != project.pk:
        raise ApplicationError(_("This item is not the project's."))
    if not isinstance(weight, int) or not 1 <= weight <= 100:
        raise ApplicationError(_("The weight is a whole number from 1 to 100."))
    budget_fen, spent_fen = fen(budget, what=_("budget")), fen(spent, what=_("spent"))
    _dates(starts_on, ends_on)
    if (latitude is None) != (longitude is None):
        raise ApplicationError(_("Give both coordinates of the map point, or neither."))
    if status is not None and status not in ItemStatus.values:
        raise ApplicationError(_("Unknown status."))
    new = item is None
    item = item or ProjectItem(project=project, position=project.items.count())
    old = {"title": item.title, "budget_fen": item.budget_fen, "spent_fen": item.spent_fen}
    item.title = _text(title, what=_("title"), limit=200, required=True)
    item.description = _text(description, what=_("description"), limit=5000, required=False)
    item.weight, item.budget_fen, item.spent_fen = weight, budget_fen, spent_fen
    item.starts_on, item.ends_on = starts_on, ends_on
    item.location = _text(location, what=_("location"), limit=200, required=False)
    item.latitude, item.longitude = latitude, longitude
    if status is not None:
        if status == ItemStatus.DONE and item.progress != 100:
            raise ApplicationError(_("An item is done when a milestone says 100%."))
        item.status = status
    item.save()
    audit_log(
        event_type=ProjectEvent.ITEM_CHANGED,
        actor=actor,
        subject=project,
        old=None if new else old,
        new={"item": item.title, "budget_fen": budget_fen, "spent_fen": spent_fen},
    )
    return item


@transaction.atomic
def milestone_record(
    *,
    item: ProjectItem,
    actor: User,
    title: str,
    progress: int,
    on: dt.date | None = None,
    note: str = "",
    spent: object | None = None,
    photos: Sequence[Any] = (),
) -> Milestone:
    """A step of the work, with the item's progress then (never backwards), the
    spending so far if it changed, and photos (their location data removed)."""
    project = item.project
    _manage(actor, project)
    on = on or clock.today()
    if item.status == ItemStatus.CANCELLED:
        raise ApplicationError(_("The item is cancelled."))
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ApplicationError(_("Progress is a whole percentage from 0 to 100."))
    if progress < item.progress:
        raise ApplicationError(
            _("Progress does not go back: the item is at %(now)d%% already.")
            % {"now": item.progress}
        )
    if on > clock.today():
        raise ApplicationError(_("A milestone is recorded when it is reached, not before."))
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS})
    checked = [read_upload(photo, kinds=("jpeg", "png")) for photo in photos]
    spent_fen = None if spent in (None, "") else fen(spent, what=_("spent"))
    milestone = Milestone.objects.create(
        item=item,
        title=_text(title, what=_("title"), limit=200, required=True),
        on=on,
        note=_text(note, what=_("note"), limit=5000, required=False),
        progress=progress,
        recorded_by=actor,
    )
    for upload in checked:
        upload.save_into(MilestonePhoto(milestone=milestone, uploaded_by=actor))
    item.progress = progress
    if progress == 100:
        item.status = ItemStatus.DONE
    elif progress > 0:
        item.status = ItemStatus.UNDER_WAY
    if spent_fen is not None:
        item.spent_fen = spent_fen
    item.save(update_fields=["progress", "status", "spent_fen"])
    audit_log(
        event_type=ProjectEvent.MILESTONE_RECORDED,
        actor=actor,
        subject=project,
        new={"item": item.title, "milestone": milestone.title, "progress": progress},
    )
    return milestone


@transaction.atomic
def links_set(
    *,
    project: Project,
    actor: User,
    meetings: Iterable[Any] = (),
    decisions: Iterable[Any] = (),
    notices: Iterable[Any] = (),
) -> Project:
    """The meetings, owners' decisions and notices behind the project, from its own
    residents' areas only."""
    _manage(actor, project)
    areas = set(project.neighbourhoods.values_list("pk", flat=True))
    meetings, decisions, notices = list(meetings), list(decisions), list(notices)
    if any(m.neighbourhood_id not in areas for m in meetings):
        raise ApplicationError(_("A meeting of another residents' area is not linked."))
    if any(d.neighbourhood_id not in areas for d in decisions):
        raise ApplicationError(_("A decision of another residents' area is not linked."))
    if any(n.neighbourhood_id not in areas for n in notices):
        raise ApplicationError(_("A notice of another residents' area is not linked."))
    project.meetings.set(meetings)
    project.decisions.set(decisions)
    project.notices.set(notices)
    audit_log(
        event_type=ProjectEvent.PROJECT_CHANGED,
        actor=actor,
        subject=project,
        new={
            "meetings": [m.pk for m in meetings],
            "decisions": [d.pk for d in decisions],
            "notices": [n.pk for n in notices],
        },
    )
    return project


@transaction.atomic
def item_requests_link(*, item: ProjectItem, requests: Iterable[Any], actor: User) -> ProjectItem:
    """Residents' requests the item answers (a broken path the new 健身步道 replaces)."""
    project = item.project
    _manage(actor, project)
    areas = set(project.neighbourhoods.values_list("pk", flat=True))
    chosen = list(requests)
    if any(r.compound.neighbourhood_id not in areas for r in chosen):
        raise ApplicationError(_("A request of another residents' area is not linked."))
    item.requests.set(chosen)
    audit_log(
        event_type=ProjectEvent.ITEM_CHANGED,
        actor=actor,
        subject=project,
        new={"item": item.title, "requests": [r.pk for r in chosen]},
    )
    return item
