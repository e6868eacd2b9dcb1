"""Writes for public notices: drafting, publishing within the lawful window,
withdrawing, attachments, owners' opinions and answers, public-revenue statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core import clock, ratelimit
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused, RateLimited
from gongzhi.core.i18n import gettext_noop
from gongzhi.core.locks import locked
from gongzhi.core.masking import mask_text
from gongzhi.core.uploads import read_upload
from gongzhi.registry.models import Compound, ManagementArea, Neighbourhood, Owner, Ownership

from . import revenue, richtext
from .models import (
    Notice,
    NoticeAttachment,
    NoticeKind,
    NoticeOpinion,
    NoticeStatus,
    PublicRevenueStatement,
)
from .notify import tell_answered, tell_published
from .windows import window_problems

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

MAX_OPINION_CHARS = 2000
OPINION_SCOPE = "notice-opinion"
OPINIONS_PER_HOUR = 10
NOT_EDITED = gettext_noop("A published notice is not edited; withdraw it and post a new one.")


def _check_compounds(neighbourhood: Neighbourhood, compounds: Sequence[Compound]) -> None:
    if not compounds:
        raise ApplicationError(_("Say which compounds the notice is for."))
    if any(c.neighbourhood_id != neighbourhood.pk for c in compounds):
        raise ApplicationError(_("A notice is for compounds of its own residents' area."))


@transaction.atomic
def notice_create(
    *,
    neighbourhood: Neighbourhood,
    compounds: Sequence[Compound],
    kind: str,
    title: str,
    body: str,
    display_from: dt.datetime,
    display_until: dt.datetime,
    actor: User,
    event_at: dt.datetime | None = None,
    opinions_open: bool = False,
) -> Notice:
    """A draft notice; its text is sanitised and masked now, so the draft shows what
    the public will see."""
    if kind not in NoticeKind.values:
        raise ApplicationError(_("Unknown kind of notice."))
    if not title.strip() or not body.strip():
        raise ApplicationError(_("A notice needs a title and a text."))
    _check_compounds(neighbourhood, compounds)
    if display_until <= display_from:
        raise ApplicationError(_("The notice must be taken down after it goes up."))
    notice = Notice.objects.create(
        neighbourhood=neighbourhood,
        kind=kind,
        title=title.strip()[:200],
        body=richtext.clean(body),
        event_at=event_at,
        display_from=display_from,
        display_until=display_until,
        opinions_open=opinions_open,
        created_by=actor,
    )
    notice.compounds.set(compounds)
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, actor: User | None, **changes) -> Notice:
    """Change a draft; a published notice is withdrawn and replaced, never edited."""
    notice = locked(notice)
    if notice.status != NoticeStatus.DRAFT:
        raise ApplicationError(_(NOT_EDITED))
    compounds = changes.pop("compounds", None)
    if "body" in changes:
        changes["body"] = richtext.clean(changes["body"])
    for field, value in changes.items():
        setattr(notice, field, value)
    if not notice.title.strip() or not notice.body.strip():
        raise ApplicationError(_("A notice needs a title and a text."))
    if notice.display_until <= notice.display_from:
        raise ApplicationError(_("The notice must be taken down after it goes up."))
    notice.save()
    if compounds is not None:
        _check_compounds(notice.neighbourhood, compounds)
        notice.compounds.set(compounds)
    return notice


@transaction.atomic
def notice_publish(
    *, notice: Notice, actor: User | None, override_reason: str = "", now: dt.datetime | None = None
) -> Notice:
    """Publish a draft. A window shorter than the kind's minimum is refused unless a
    reason is given; the reason is kept with the notice and in the audit trail."""
    notice = locked(notice)
    now = clock.now(now)
    if notice.status != NoticeStatus.DRAFT:
        raise ApplicationError(_("Only a draft is published."))
    if notice.display_until <= now:
        raise ApplicationError(_("The display window has already ended."))
    if notice.display_from < now:  # it goes up when it is published, not before
        notice.display_from = now
    problems = window_problems(
        notice.kind, notice.display_from, notice.display_until, notice.event_at
    )
    override_reason = override_reason.strip()
    if problems and not override_reason:
        raise ApplicationError(" ".join(p.text(_) for p in problems))
    notice.status, notice.published_at, notice.published_by = NoticeStatus.PUBLISHED, now, actor
    notice.window_override = override_reason if problems else ""
    notice.save(
        update_fields=[
            "status",
            "published_at",
            "published_by",
            "window_override",
            "display_from",
        ]
    )
    audit_log(
        event_type=EventType.NOTICE_PUBLISHED,
        actor=actor,
        subject=notice,
        new={
            "kind": notice.kind,
            "from": notice.display_from,
            "until": notice.display_until,
            "override": notice.window_override,
        },
    )
    tell_published(notice)
    return notice


@transaction.atomic
def notice_withdraw(*, notice: Notice, reason: str, actor: User | None) -> Notice:
    notice = locked(notice)
    if notice.status != NoticeStatus.PUBLISHED:
        raise ApplicationError(_("Only a published notice is withdrawn."))
    if not reason.strip():
        raise ApplicationError(_("Say why the notice is withdrawn."))
    notice.status, notice.withdrawn_reason = NoticeStatus.WITHDRAWN, reason.strip()
    notice.save(update_fields=["status", "withdrawn_reason"])
    audit_log(
        event_type=EventType.NOTICE_WITHDRAWN,
        actor=actor,
        subject=notice,
        new={"reason": notice.withdrawn_reason},
    )
    return notice


@transaction.atomic
def attachment_add(*, notice: Notice, upload, actor: User | None) -> NoticeAttachment:
    notice = locked(notice)
    if notice.status != NoticeStatus.DRAFT:
        raise ApplicationError(_("Attachments are added before the notice is published."))
    checked = read_upload(upload)
    return checked.save_into(NoticeAttachment(notice=notice, uploaded_by=actor))


def is_current(notice: Notice, now: dt.datetime | None = None) -> bool:
    now = clock.now(now)
    return (
        notice.status == NoticeStatus.PUBLISHED
        and notice.display_from <= now < notice.display_until
    )


def owner_for_notice(notice: Notice, user) -> Owner | None:
    """The owner the user acts for who holds a unit in one of the notice's compounds."""
    owners = scopes_for(user).owners
    if not owners:
        return None
    ownership = (
        Ownership.objects.filter(owner_id__in=owners, unit__compound__in=notice.compounds.all())
        .select_related("owner")
        .order_by("owner_id")
        .first()
    )
    return ownership.owner if ownership else None


@transaction.atomic
def opinion_leave(
    *, notice: Notice, user, text: str, now: dt.datetime | None = None
) -> NoticeOpinion:
    """An owner's opinion on a notice (意见征询), only while it is up; at most
    ``OPINIONS_PER_HOUR`` per account, whether left on the page or through the API."""
    now = clock.now(now)
    if not notice.opinions_open:
        raise ApplicationError(_("This notice does not ask for opinions."))
    if not is_current(notice, now):
        raise ApplicationError(_("Opinions are left while the notice is up."))
    owner = owner_for_notice(notice, user)
    if owner is None:
        raise PermissionRefused(
            _("Only owners of the compounds this notice is for leave opinions.")
        )
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write your opinion."))
    if len(text) > MAX_OPINION_CHARS:
        raise ApplicationError(
            _("An opinion has at most %(n)d characters.") % {"n": MAX_OPINION_CHARS}
        )
    # Counted inside this transaction: only an opinion that is written uses one up.
    verdict = ratelimit.hit(
        OPINION_SCOPE, str(user.pk), limit=OPINIONS_PER_HOUR, window=3600, backoff=False
    )
    if not verdict.allowed:
        raise RateLimited(
            _("Too many opinions in an hour; please try later."), retry_after=verdict.retry_after
        )
    # Shown to the public once answered: ID and mobile numbers never reach storage.
    opinion = NoticeOpinion.objects.create(
        notice=notice, owner=owner, author=user, text=mask_text(text), created_at=now
    )
    return opinion


@transaction.atomic
def opinion_answer(
    *, opinion: NoticeOpinion, answer: str, actor: User | None, now: dt.datetime | None = None
) -> NoticeOpinion:
    opinion = NoticeOpinion.objects.select_for_update().get(pk=opinion.pk)
    if not answer.strip():
        raise ApplicationError(_("Write the answer."))
    opinion.answer = mask_text(answer.strip())
    opinion.answered_by, opinion.answered_at = actor, clock.now(now)
    opinion.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_log(
        event_type=EventType.NOTICE_OPINION_ANSWERED,
        actor=actor,
        subject=opinion.notice,
        new={"opinion": opinion.pk},
    )
    tell_answered(opinion)
    return opinion


# --- public revenue -------------------------------------------------------------


def _lines(text: str, what: str) -> list[dict[str, str]]:
    try:
        rows = revenue.parse_lines(text, what=what)
    except revenue.LinesError as exc:
        raise ApplicationError(exc.text(_)) from None
    return [{"label": label, "amount": f"{value:.2f}"} for label, value in rows]


def statement_summary(statement: PublicRevenueStatement) -> revenue.Summary:
    return revenue.summarise(
        (Decimal(row["amount"]) for row in statement.income),
        (Decimal(row["amount"]) for row in statement.expenses),
        statement.to_maintenance_fund,
    )


@transaction.atomic
def statement_create(
    *,
    management_area: ManagementArea,
    year: int,
    quarter: int,
    income: str,
    expenses: str,
    to_maintenance_fund: object,
    actor: User,
    note: str = "",
) -> PublicRevenueStatement:
    """A quarter's statement; income and expenses one per line as “source: amount”."""
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ApplicationError(_("Give the year and a quarter from 1 to 4."))
    if management_area.dissolved_on is not None:
        raise ApplicationError(_("This management area was merged into another."))
    try:
        fund = revenue.amount(to_maintenance_fund)
    except ValueError:
        raise ApplicationError(_(revenue.BAD_FUND)) from None
    income_rows = _lines(income, _("source"))
    if not income_rows:
        raise ApplicationError(_("List the income, one source per line."))
    if PublicRevenueStatement.objects.filter(
        management_area=management_area, year=year, quarter=quarter
    ).exists():
        raise ApplicationError(
            _("%(area)s already has a statement for %(year)d Q%(quarter)d.")
            % {"area": management_area.name, "year": year, "quarter": quarter}
        )
    return PublicRevenueStatement.objects.create(
        management_area=management_area,
        year=year,
        quarter=quarter,
        income=income_rows,
        expenses=_lines(expenses, _("item")),
        to_maintenance_fund=fund,
        note=note.strip(),
        created_by=actor,
    )


@transaction.atomic
def statement_publish(
    *,
    statement: PublicRevenueStatement,
    display_from: dt.datetime,
    display_until: dt.datetime,
    actor: User,
    now: dt.datetime | None = None,
) -> Notice:
    """Publish the statement as a notice for the area's compounds."""
    statement = PublicRevenueStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.notice_id is not None:
        raise ApplicationError(_("This statement is already published."))
    compounds = list(
        Compound.objects.filter(
            area_memberships__area=statement.management_area,
            area_memberships__until__isnull=True,
        ).select_related("neighbourhood")
    )
    if not compounds:
        raise ApplicationError(_("The management area holds no compound."))
    summary = statement_summary(statement)
    body = render_to_string(
        "notices/statement_body.html", {"statement": statement, "summary": summary}
    )
    notice = notice_create(
        neighbourhood=compounds[0].neighbourhood,
        compounds=[c for c in compounds if c.neighbourhood_id == compounds[0].neighbourhood_id],
        kind=NoticeKind.PUBLIC_REVENUE,
        title=_("Public revenue of %(area)s, %(year)d Q%(quarter)d")
        % {
            "area": statement.management_area.name,
            "year": statement.year,
            "quarter": statement.quarter,
        },
        body=body,
        display_from=display_from,
        display_until=display_until,
        opinions_open=True,
        actor=actor,
    )
    notice = notice_publish(notice=notice, actor=actor, now=now)
    statement.notice = notice
    statement.save(update_fields=["notice"])
    return notice
