"""Reads of the foundation's ledger: each fund's figures (exact, in fen), donations
as their donors agreed to be shown, and the disclosure calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core.masking import mask_middle
from gongzhi.registry.models import Organisation, OrganisationKind

from . import calendar
from .models import Disbursement, Disclosure, DisclosureReport, Donation, Fund


@dataclass(frozen=True)
class Figures:
    donated: int
    disbursed: int

    @property
    def balance(self) -> int:
        return self.donated - self.disbursed


def figures(funds: Iterable[Fund]) -> dict[int, Figures]:
    """Donated, disbursed and balance per fund, in two queries."""
    ids = [fund.pk for fund in funds]
    donated = dict(
        Donation.objects.filter(fund_id__in=ids)
        .values_list("fund_id")
        .annotate(total=Sum("amount_fen"))
        .values_list("fund_id", "total")
    )
    disbursed = dict(
        Disbursement.objects.filter(fund_id__in=ids)
        .values_list("fund_id")
        .annotate(total=Sum("amount_fen"))
        .values_list("fund_id", "total")
    )
    return {pk: Figures(int(donated.get(pk) or 0), int(disbursed.get(pk) or 0)) for pk in ids}


def fund_figures(fund: Fund) -> Figures:
    return figures([fund])[fund.pk]


def public_funds() -> QuerySet[Fund]:
    return Fund.objects.filter(published=True).select_related("foundation")


def foundations_kept_by(user) -> QuerySet[Organisation]:
    scopes = scopes_for(user)
    found = Organisation.objects.filter(kind=OrganisationKind.FOUNDATION)
    return found if scopes.superuser else found.filter(pk__in=scopes.foundations)


def donor_shown(donation: Donation) -> str:
    """The donor as they agreed to be named in public, per gift."""
    if donation.disclosure == Disclosure.NAMED:
        return donation.donor_name
    if donation.disclosure == Disclosure.MASKED:
        return mask_middle(donation.donor_name)
    return _("Anonymous donor")


@dataclass(frozen=True)
class Due:
    obligation: calendar.Obligation
    report: DisclosureReport | None
    fund: Fund | None

    def overdue(self, today: dt.date) -> bool:
        return self.report is None and self.obligation.due_on < today


def disclosure_calendar(foundation: Organisation, today: dt.date) -> list[Due]:
    """Every disclosure the foundation owes up to ``today`` with the report that met
    it, if any; the annual reports count from the year of its first fund."""
    funds = list(Fund.objects.filter(foundation=foundation).order_by("starts_on", "pk"))
    if not funds:
        return []
    obligations = calendar.annual(funds[0].starts_on.year, today)
    for fund in funds:
        obligations.extend(calendar.for_fund(fund.pk, fund.starts_on, fund.ends_on, today))
    reports = {r.key: r for r in DisclosureReport.objects.filter(foundation=foundation)}
    by_id = {fund.pk: fund for fund in funds}
    rows = [
        Due(o, reports.get(o.key), by_id.get(o.fund_id) if o.fund_id else None) for o in obligations
    ]
    return sorted(rows, key=lambda row: (row.obligation.due_on, row.obligation.key))


def overdue_disclosures(user, today: dt.date) -> list[tuple[Organisation, Due]]:
    """For a foundation clerk's work queue."""
    found: list[tuple[Organisation, Due]] = []
    for foundation in foundations_kept_by(user):
        found.extend(
            (foundation, due)
            for due in disclosure_calendar(foundation, today)
            if due.overdue(today)
        )
    return found
