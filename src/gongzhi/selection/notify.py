"""Telling companies about custody and selection: a custody pick (its staff), bids
invited (the staff of every company in the district's pool), the ranking posted (the
bidders' staff)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.accounts.selectors import users_of_companies
from gongzhi.notifications.services import composed, notify

from .models import PoolEntry, PoolEntryStatus


def tell_custody(custody) -> None:
    request = custody.request
    with composed():
        title = _("Custody of %(compound)s assigned to your company") % {
            "compound": request.compound.name
        }
    notify(
        users=list(users_of_companies([custody.company_id])),
        kind="selection",
        event_key=f"custody:{custody.pk}:assigned",
        title=title,
        url=reverse("selection:custody", args=[request.pk]),
    )


def tell_bids_invited(plan) -> None:
    companies = PoolEntry.objects.filter(
        pool__district=plan.neighbourhood.sub_district.district, status=PoolEntryStatus.ACTIVE
    ).values_list("company_id", flat=True)
    with composed():
        title = _("Bids invited: %(title)s") % {"title": plan.title}
        body = _("Bids close at %(when)s.") % {"when": f"{plan.bids_close_at:%Y-%m-%d %H:%M}"}
    notify(
        users=list(users_of_companies(companies)),
        kind="selection",
        event_key=f"plan:{plan.pk}:published",
        title=title,
        body=body,
        url=reverse("selection:plan", args=[plan.pk]),
    )


def tell_ranking(plan) -> None:
    with composed():
        title = _("Ranking posted: %(title)s") % {"title": plan.title}
    notify(
        users=list(users_of_companies(plan.bids.values_list("company_id", flat=True))),
        kind="selection",
        event_key=f"plan:{plan.pk}:ranked",
        title=title,
        url=reverse("selection:ranking", args=[plan.pk]),
    )
