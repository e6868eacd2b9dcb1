"""Pages of the notice board: the public board, a notice with its opinions and its
PDF for the physical board, and the organisers' drafting and publishing."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.params import object_or_404
from gongzhi.core.permissions import require
from gongzhi.core.views import attempt, download
from gongzhi.registry.selectors import neighbourhoods_organised_by

from . import selectors, services
from .forms import (
    AnswerForm,
    NoticeForm,
    OpinionForm,
    PublishForm,
    StatementForm,
    StatementPublishForm,
    WithdrawForm,
)
from .models import Notice, NoticeOpinion, NoticeStatus, PublicRevenueStatement
from .pdf import notice_pdf
from .windows import MINIMUMS


def _notice(pk: int) -> Notice:
    return get_object_or_404(
        Notice.objects.select_related("neighbourhood__sub_district").prefetch_related(
            "compounds", "attachments"
        ),
        pk=pk,
    )


def _visible(request, notice: Notice) -> None:
    require(
        request,
        "notices.view_notice",
        notice,
        reason=_("This notice has not been published."),
    )


def board(request):
    """The public notice board: what is up now, with the time left; past notices below."""
    now = timezone.now()
    current = list(selectors.current_notices(now))
    for notice in current:
        left = notice.display_until - now
        notice.days_left, notice.hours_left = left.days, left.seconds // 3600
    return render(
        request,
        "notices/board.html",
        {
            "current": current,
            "past": selectors.past_notices(now)[:30],
            "can_manage": request.user.is_authenticated
            and request.user.has_perm("notices.manage_notice"),
            "now": now,
        },
    )


def detail(request, pk: int):
    notice = _notice(pk)
    _visible(request, notice)
    user = request.user
    manage = user.is_authenticated and user.has_perm("notices.manage_notice", notice)
    now = timezone.now()
    owner = services.owner_for_notice(notice, user) if user.is_authenticated else None
    opinions = Paginator(selectors.opinions_for(notice, user, manage=manage), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "body": mark_safe(notice.body),  # noqa: S308 - cleaned by nh3 and masked on save
            "manage": manage,
            "current": services.is_current(notice, now),
            "can_opine": owner is not None
            and notice.opinions_open
            and services.is_current(notice, now),
            "opinions": opinions,
            "opinion_form": OpinionForm(),
            "answer_form": AnswerForm(),
            "publish_form": PublishForm(),
            "withdraw_form": WithdrawForm(),
            "minimum": MINIMUMS.get(notice.kind),
            "url": request.build_absolute_uri(reverse("notices:detail", args=[notice.pk])),
        },
    )


def pdf(request, pk: int):
    notice = _notice(pk)
    _visible(request, notice)
    url = request.build_absolute_uri(reverse("notices:detail", args=[notice.pk]))
    return download(
        notice_pdf(notice, url), f"notice-{notice.pk}.pdf", "application/pdf", inline=True
    )


def attachment(request, pk: int, attachment_pk: int):
    notice = _notice(pk)
    _visible(request, notice)
    item = get_object_or_404(notice.attachments, pk=attachment_pk)
    return item.response(attachment=True)


@login_required
def manage(request):
    require(
        request,
        "notices.manage_notice",
        reason=_("Notices are posted by the residents' committee and the sub-district."),
    )
    return render(
        request,
        "notices/manage.html",
        {"notices": selectors.managed_notices(request.user).order_by("-created_at")[:200]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    require(
        request,
        "notices.manage_notice",
        reason=_("Notices are posted by the residents' committee and the sub-district."),
    )
    neighbourhoods = neighbourhoods_organised_by(request.user)
    form = NoticeForm(request.POST or None, neighbourhoods=neighbourhoods)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_create(
                neighbourhood=data["neighbourhood"],
                compounds=list(data["compounds"]),
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                event_at=data["event_at"],
                display_from=data["display_from"],
                display_until=data["display_until"],
                opinions_open=data["opinions_open"],
                actor=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            for upload in request.FILES.getlist("attachments"):
                attempt(
                    request,
                    partial(
                        services.attachment_add, notice=notice, upload=upload, actor=request.user
                    ),
                    _("Attached: %(name)s") % {"name": upload.name},
                )
            messages.success(request, _("The draft is saved. Check it, then publish it."))
            return redirect("notices:detail", pk=notice.pk)
    return render(request, "notices/edit.html", {"form": form, "notice": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    notice = _notice(pk)
    require(
        request,
        "notices.manage_notice",
        notice,
        reason=_("This notice is kept by another residents' area."),
    )
    if notice.status != NoticeStatus.DRAFT:
        messages.error(request, _(services.NOT_EDITED))
        return redirect("notices:detail", pk=pk)
    neighbourhoods = neighbourhoods_organised_by(request.user)
    initial = {
        "neighbourhood": notice.neighbourhood,
        "compounds": list(notice.compounds.all()),
        "kind": notice.kind,
        "title": notice.title,
        "body": notice.body,
        "event_at": notice.event_at and timezone.localtime(notice.event_at),
        "display_from": timezone.localtime(notice.display_from),
        "display_until": timezone.localtime(notice.display_until),
        "opinions_open": notice.opinions_open,
    }
    form = NoticeForm(request.POST or None, initial=initial, neighbourhoods=neighbourhoods)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["compounds"] = list(data["compounds"])
        if attempt(
            request,
            lambda: services.notice_update(notice=notice, actor=request.user, **data),
            _("The draft is saved."),
        ):
            for upload in request.FILES.getlist("attachments"):
                attempt(
                    request,
                    partial(
                        services.attachment_add, notice=notice, upload=upload, actor=request.user
                    ),
                    _("Attached: %(name)s") % {"name": upload.name},
                )
            return redirect("notices:detail", pk=pk)
    return render(request, "notices/edit.html", {"form": form, "notice": notice})


@login_required
@require_POST
def opinion_leave(request, pk: int):
    """An owner's opinion on a notice, while it is open for them."""
    notice = _notice(pk)
    _visible(request, notice)
    form = OpinionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.opinion_leave(
                notice=notice, user=request.user, text=form.cleaned_data["text"]
            ),
            _("Your opinion is recorded; the residents' committee will answer it here."),
        )
    else:
        messages.error(request, _("Write your opinion (at most 2,000 characters)."))
    return redirect("notices:detail", pk=pk)


def _kept(request, pk: int) -> Notice:
    """The notice, for the residents' area that keeps it."""
    notice = _notice(pk)
    _visible(request, notice)
    require(
        request,
        "notices.manage_notice",
        notice,
        reason=_("This notice is kept by another residents' area."),
    )
    return notice


@login_required
@require_POST
def notice_publish(request, pk: int):
    notice = _kept(request, pk)
    attempt(
        request,
        lambda: services.notice_publish(
            notice=notice,
            actor=request.user,
            override_reason=request.POST.get("override_reason", ""),
        ),
        _("The notice is published."),
    )
    return redirect("notices:detail", pk=pk)


@login_required
@require_POST
def notice_withdraw(request, pk: int):
    notice = _kept(request, pk)
    attempt(
        request,
        lambda: services.notice_withdraw(
            notice=notice, reason=request.POST.get("reason", ""), actor=request.user
        ),
        _("The notice is withdrawn."),
    )
    return redirect("notices:detail", pk=pk)


@login_required
@require_POST
def opinion_answer(request, pk: int):
    notice = _kept(request, pk)
    opinion = object_or_404(NoticeOpinion, request.POST.get("opinion"), notice=notice)
    attempt(
        request,
        lambda: services.opinion_answer(
            opinion=opinion, answer=request.POST.get("answer", ""), actor=request.user
        ),
        _("The answer is published with the opinion."),
    )
    return redirect("notices:detail", pk=pk)


# --- public revenue ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def revenue(request):
    require(
        request,
        "notices.manage_revenue",
        reason=_(
            "Public-revenue statements are kept by the residents' committee and the sub-district."
        ),
    )
    form = StatementForm(request.POST or None, areas=selectors.areas_organised_by(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(
            request,
            "notices.manage_revenue",
            data["management_area"],
            reason=_("This management area is not one you keep."),
        )
        try:
            statement = services.statement_create(actor=request.user, **data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The statement is saved; check it, then publish it."))
            return redirect("notices:statement", pk=statement.pk)
    statements = [
        (s, services.statement_summary(s)) for s in selectors.statements_managed_by(request.user)
    ]
    return render(request, "notices/revenue.html", {"form": form, "statements": statements})


@login_required
@require_http_methods(["GET", "POST"])
def statement(request, pk: int):
    item = get_object_or_404(
        PublicRevenueStatement.objects.select_related("management_area", "notice"), pk=pk
    )
    require(
        request,
        "notices.manage_revenue",
        item.management_area,
        reason=_("This management area is not one you keep."),
    )
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = StatementPublishForm(
        request.POST or None,
        initial={"display_from": now, "display_until": now + dt.timedelta(days=30)},
    )
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: services.statement_publish(
                statement=item, actor=request.user, **form.cleaned_data
            ),
            _("The statement is published as a notice."),
        ):
            item.refresh_from_db()
            return redirect("notices:detail", pk=item.notice_id)
    return render(
        request,
        "notices/statement.html",
        {"statement": item, "summary": services.statement_summary(item), "form": form},
    )
