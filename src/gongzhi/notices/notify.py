"""Telling people about notices: a notice published for their compounds (to the
owners of those compounds, composed in the background), an answer to their opinion."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from gongzhi.accounts.selectors import users_owning
from gongzhi.notifications.services import composed, notify
from gongzhi.registry.models import Ownership

from .models import Notice, NoticeOpinion, NoticeStatus


def tell_published(notice: Notice) -> None:
    notice_news.enqueue(notice_id=notice.pk)


@task()
def notice_news(notice_id: int) -> int:
    notice = Notice.objects.filter(
        pk=notice_id, status=NoticeStatus.PUBLISHED, display_until__gt=timezone.now()
    ).first()
    if notice is None:
        return 0  # withdrawn or no longer up
    owners = Ownership.objects.filter(unit__compound__in=notice.compounds.all()).values("owner_id")
    users = list(users_owning(owners))
    with composed():
        title = _("New notice: %(title)s") % {"title": notice.title}
        body = (
            _("Opinions are open until %(until)s.") % {"until": f"{notice.display_until:%Y-%m-%d}"}
            if notice.opinions_open
            else ""
        )
    return notify(
        users=users,
        kind="notice",
        event_key=f"notice:{notice.pk}:published",
        title=title,
        body=body,
        url=reverse("notices:detail", args=[notice.pk]),
    )


def tell_answered(opinion: NoticeOpinion) -> None:
    with composed():
        title = _("Your opinion is answered: %(title)s") % {"title": opinion.notice.title}
    notify(
        users=[opinion.author],
        kind="notice",
        event_key=f"opinion:{opinion.pk}:answered",
        title=title,
        body=opinion.answer,
        url=reverse("notices:detail", args=[opinion.notice_id]),
    )
