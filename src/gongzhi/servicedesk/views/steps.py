"""One view per step of a request: accept, assign, start, defer, resume, resolve,
close, reopen, return, transfer; the reporter's feedback, follow-ups and photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongzhi.accounts.models import User
from gongzhi.core.params import parse_id
from gongzhi.core.views import attempt
from gongzhi.registry.models import Organisation

from .. import selectors
from ..forms import (
    CheckForm,
    DeferForm,
    FeedbackForm,
    ReasonForm,
    ResolveForm,
)
from ..models import (
    CheckKind,
    RequestPhoto,
)
from ..services import care, steps
from ..services import requests as desk
from .common import visible_request


def _act(request, pk: int, action, success: str):
    item = visible_request(request.user, pk)
    attempt(request, lambda: action(item), success)
    return redirect("servicedesk:detail", pk)


@login_required
@require_POST
def accept(request, pk: int):
    return _act(
        request,
        pk,
        lambda item: steps.request_accept(request=item, actor=request.user),
        _("Accepted."),
    )


@login_required
@require_POST
def assign(request, pk: int):
    executor = User.objects.filter(pk=parse_id(request.POST.get("executor", "")) or 0).first()
    return _act(
        request,
        pk,
        lambda item: steps.request_assign(request=item, executor=executor, actor=request.user),
        _("Assigned."),
    )


@login_required
@require_POST
def start(request, pk: int):
    return _act(
        request,
        pk,
        lambda item: steps.request_start(request=item, actor=request.user),
        _("Work started."),
    )


@login_required
@require_POST
def defer(request, pk: int):
    form = DeferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and the reason."))
        return redirect("servicedesk:detail", pk)
    return _act(
        request,
        pk,
        lambda item: steps.request_defer(
            request=item,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        _("Deferred."),
    )


@login_required
@require_POST
def resume(request, pk: int):
    return _act(
        request,
        pk,
        lambda item: steps.request_resume(request=item, actor=request.user),
        _("Resumed."),
    )


@login_required
@require_POST
def resolve(request, pk: int):
    form = ResolveForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome."))
        return redirect("servicedesk:detail", pk)
    data = form.cleaned_data
    duplicate = None
    if data["duplicate_of"]:
        duplicate = selectors.visible_to(request.user).filter(pk=data["duplicate_of"]).first()
        if duplicate is None:
            messages.error(request, _("No such request."))
            return redirect("servicedesk:detail", pk)
    return _act(
        request,
        pk,
        lambda item: steps.request_resolve(
            request=item,
            outcome=data["outcome"],
            reason=data["reason"],
            actor=request.user,
            duplicate_of=duplicate,
            photos=data["photos"],
        ),
        _("Resolved; the reporter is asked whether it is fixed."),
    )


@login_required
@require_POST
def close(request, pk: int):
    return _act(
        request,
        pk,
        lambda item: steps.request_close(request=item, actor=request.user),
        _("Closed."),
    )


@login_required
@require_POST
def reopen(request, pk: int):
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    return _act(
        request,
        pk,
        lambda item: steps.request_reopen(request=item, actor=request.user, reason=reason),
        _("Reopened."),
    )


@login_required
@require_POST
def return_(request, pk: int):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda item: steps.request_return(request=item, reason=reason, actor=request.user),
        _("Returned to the residents' committee."),
    )


@login_required
@require_POST
def transfer(request, pk: int):
    organisation = Organisation.objects.filter(
        pk=parse_id(request.POST.get("organisation", "")) or 0
    ).first()
    return _act(
        request,
        pk,
        lambda item: steps.request_transfer(
            request=item,
            party=request.POST.get("party", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
            organisation=organisation,
        ),
        _("Transferred."),
    )


@login_required
@require_POST
def feedback(request, pk: int):
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether it is fixed and rate from 1 to 5."))
        return redirect("servicedesk:detail", pk)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda item: care.feedback_give(
            request=item,
            actor=request.user,
            fixed=data["fixed"],
            overall=data["overall"],
            speed=data["speed"],
            attitude=data["attitude"],
            comment=data["comment"],
        ),
        _("Thank you for your feedback."),
    )


def _check(request, pk: int, kind: str):
    form = CheckForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda item: care.check_record(
            request=item,
            kind=kind,
            satisfied=data.get("satisfied", False),
            actor=request.user,
            method=data.get("method", ""),
            note=data.get("note", ""),
        ),
        _("Recorded."),
    )


@login_required
@require_POST
def follow_up(request, pk: int):
    return _check(request, pk, CheckKind.FOLLOW_UP)


@login_required
@require_POST
def quality(request, pk: int):
    return _check(request, pk, CheckKind.QUALITY)


@login_required
@require_POST
def photos(request, pk: int):
    stage = request.POST.get("stage", "")
    uploads = request.FILES.getlist("photos")
    return _act(
        request,
        pk,
        lambda item: desk.photos_add(request=item, stage=stage, photos=uploads, actor=request.user),
        _("Photos added."),
    )


@login_required
@require_GET
def photo(request, pk: int, photo_pk: int):
    item = visible_request(request.user, pk)
    picture = get_object_or_404(RequestPhoto, pk=photo_pk, request=item)
    return picture.response()
