"""The notice board over JSON: what is up now, a notice with its answered opinions,
and an owner's opinion. The same services and rules as the pages; personal data is
masked in the stored text, and opinions are shown without who left them."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gongzhi.core.permissions import require
from gongzhi.notices import selectors, services
from gongzhi.notices.models import Notice, NoticeKind

from .common import Refusal

router = Router(tags=["notices"])


class NoticeSummaryOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    neighbourhood: str
    compounds: list[str]
    display_from: dt.datetime
    display_until: dt.datetime
    seconds_left: int
    opinions_open: bool
    page: str
    pdf: str


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    url: str


class OpinionOut(Schema):
    text: str
    left_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None
    mine: bool


class NoticeOut(NoticeSummaryOut):
    status: str
    event_at: dt.datetime | None
    body_html: str
    withdrawn_reason: str
    attachments: list[AttachmentOut]
    opinions: list[OpinionOut]


class OpinionIn(Schema):
    text: str


def _summary(notice: Notice, now: dt.datetime) -> dict:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "kind_label": str(NoticeKind(notice.kind).label),
        "title": notice.title,
        "neighbourhood": notice.neighbourhood.name,
        "compounds": sorted(c.name for c in notice.compounds.all()),
        "display_from": notice.display_from,
        "display_until": notice.display_until,
        "seconds_left": max(0, int((notice.display_until - now).total_seconds())),
        "opinions_open": notice.opinions_open,
        "page": reverse("notices:detail", args=[notice.pk]),
        "pdf": reverse("notices:pdf", args=[notice.pk]),
    }


def _notice(request, notice_id: int) -> Notice:
    notice = get_object_or_404(
        Notice.objects.select_related("neighbourhood__sub_district").prefetch_related(
            "compounds", "attachments"
        ),
        pk=notice_id,
    )
    require(request, "notices.view_notice", notice, reason=_("This notice has not been published."))
    return notice


@router.get(
    "/current", response=list[NoticeSummaryOut], auth=None, summary="Notices up on the board now"
)
def current(request):
    now = timezone.now()
    return [_summary(n, now) for n in selectors.current_notices(now)]


@router.get(
    "/{notice_id}", response={200: NoticeOut, 403: Refusal}, auth=None, summary="One notice"
)
def detail(request, notice_id: int):
    notice = _notice(request, notice_id)
    user = request.user
    manage = user.is_authenticated and user.has_perm("notices.manage_notice", notice)
    now = timezone.now()
    return {
        **_summary(notice, now),
        "status": notice.status,
        "event_at": notice.event_at,
        "body_html": notice.body,
        "withdrawn_reason": notice.withdrawn_reason,
        "attachments": [
            {
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "url": reverse("notices:attachment", args=[notice.pk, a.pk]),
            }
            for a in notice.attachments.all()
        ],
        "opinions": [
            {
                "text": o.text,
                "left_at": o.created_at,
                "answer": o.answer,
                "answered_at": o.answered_at,
                "mine": user.is_authenticated and o.author_id == user.pk,
            }
            for o in selectors.opinions_for(notice, user, manage=manage)
        ],
    }


@router.post(
    "/{notice_id}/opinions",
    response={201: OpinionOut, 400: Refusal, 403: Refusal},
    summary="Leave an opinion on a notice (owners of its compounds, while it is up)",
)
def opine(request, notice_id: int, payload: OpinionIn):
    notice = _notice(request, notice_id)
    opinion = services.opinion_leave(notice=notice, user=request.user, text=payload.text)
    return Status(
        201,
        {
            "text": opinion.text,
            "left_at": opinion.created_at,
            "answer": "",
            "answered_at": None,
            "mine": True,
        },
    )
