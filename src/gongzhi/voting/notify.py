"""Telling owners about decisions: announced, voting open, closing within 48 hours
(to those who have not voted), their ballot recorded, their objection answered.

Owner-wide messages are composed in the background (a decision may have thousands
of owners): the services queue ``decision_news`` in their own transaction, so a
refused transition tells nobody.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from gongzhi.accounts.selectors import users_owning
from gongzhi.notifications.services import composed, notify

from .models import Decision, DecisionStatus, RegisterOwner

EVENTS = ("announced", "opened", "closing")
CLOSING_WITHIN = dt.timedelta(hours=48)


def tell_owners(decision: Decision, event: str) -> None:
    """Queue the message about ``event`` for the decision's owners."""
    decision_news.enqueue(decision_id=decision.pk, event=event)


def _owner_ids(decision: Decision, *, not_voted: bool) -> set[int]:
    from .selectors import entries_without_ballot

    entries = (
        entries_without_ballot(decision) if not_voted else decision.register.filter(excluded=False)
    )
    return set(
        RegisterOwner.objects.filter(entry__in=entries.values("pk")).values_list(
            "owner_id", flat=True
        )
    )


@task()
def decision_news(decision_id: int, event: str) -> int:
    """The message of one event to the owners it concerns; once per owner and event."""
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None or event not in EVENTS:
        return 0
    still_true = {
        "announced": (DecisionStatus.ANNOUNCED, DecisionStatus.OPEN),
        "opened": (DecisionStatus.OPEN,),
        "closing": (DecisionStatus.OPEN,),
    }[event]
    if decision.status not in still_true:
        return 0  # the news is stale by the time the worker gets to it: say nothing
    users = list(users_owning(_owner_ids(decision, not_voted=event != "announced")))
    url = reverse("voting:detail", args=[decision.pk])
    closes = timezone.localtime(decision.closes_at)
    with composed():
        title = {
            "announced": _("Owners' vote announced: %(title)s"),
            "opened": _("Voting is open: %(title)s"),
            "closing": _("Voting closes soon: %(title)s"),
        }[event] % {"title": decision.title}
        body = {
            "announced": _(
                "Voting runs from %(opens)s to %(closes)s. "
                "The notice and the text are on the decision's page."
            ),
            "opened": _("You can vote until %(closes)s, online or on the paper ballot."),
            "closing": _("Voting closes at %(closes)s and your units have not voted yet."),
        }[event] % {
            "opens": f"{timezone.localtime(decision.opens_at):%Y-%m-%d %H:%M}",
            "closes": f"{closes:%Y-%m-%d %H:%M}",
        }
        sms = ""
        if event in ("opened", "closing"):
            sms = {
                "opened": _("Voting on “%(title)s” is open until %(closes)s. Vote: %(url)s"),
                "closing": _(
                    "Voting on “%(title)s” closes at %(closes)s; you have not voted yet: %(url)s"
                ),
            }[event] % {
                "title": decision.title[:30],
                "closes": f"{closes:%m-%d %H:%M}",
                "url": url,
            }
            from gongzhi.notifications.services import absolute

            sms = sms.replace(url, absolute(url))
    return notify(
        users=users,
        kind="vote",
        event_key=f"decision:{decision.pk}:{event}",
        title=title,
        body=body,
        url=url,
        sms=sms,
    )


def remind_closing(now: dt.datetime) -> int:
    """Queue the "closing soon" message of every open decision closing within 48 hours."""
    closing = Decision.objects.filter(
        status=DecisionStatus.OPEN, closes_at__gt=now, closes_at__lte=now + CLOSING_WITHIN
    )
    count = 0
    for decision in closing:
        tell_owners(decision, "closing")
        count += 1
    return count


def tell_receipt(*, user, decision: Decision, ballots) -> None:
    """The owner's receipt of a ballot cast online: when and how, never the choice."""
    if user is None or not ballots:
        return
    receipt = ballots[0].receipt
    with composed():
        title = _("Your ballot is recorded: %(title)s") % {"title": decision.title}
        body = _(
            "Receipt %(receipt)s. Check it on the decision's results page; "
            "it never shows your choice."
        ) % {"receipt": receipt}
    notify(
        users=[user],
        kind="vote",
        event_key=f"receipt:{decision.pk}:{receipt}",
        title=title,
        body=body,
        url=reverse("voting:results", args=[decision.pk]),
    )


def tell_objection_answered(objection) -> None:
    with composed():
        title = _("Your objection is answered: %(title)s") % {"title": objection.decision.title}
    notify(
        users=[objection.lodged_by] if getattr(objection, "lodged_by", None) else [],
        kind="vote",
        event_key=f"objection:{objection.pk}:answered",
        title=title,
        body=objection.answer,
        url=reverse("voting:trail", args=[objection.decision_id]),
    )
