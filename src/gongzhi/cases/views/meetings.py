"""Meetings, the four-party ones among them: planned, one view per action on them
(record, cancel, close an action item), the list and their calendar files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.params import parse_id
from gongzhi.core.permissions import require
from gongzhi.core.views import attempt
from gongzhi.registry.selectors import compounds_organised_by

from .. import lines, selectors, services
from ..forms import (
    CloseItemForm,
    MeetingForm,
    RecordForm,
)
from ..models import (
    ActionItem,
    Meeting,
    MeetingStatus,
)
from .common import calendar_download, case_or_404

# --- meetings ---------------------------------------------------------------------


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("neighbourhood__sub_district", "case"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    require(
        request,
        "cases.manage_meeting",
        reason=_("Meetings are organised by the residents' committee and the sub-district."),
    )
    compounds = compounds_organised_by(request.user).select_related("neighbourhood")
    case = None
    case_id = parse_id(request.GET.get("case") or request.POST.get("case"))
    if case_id is not None:
        case = case_or_404(case_id)
        require(request, "cases.manage_case", case, reason=_("This case is not one you run."))
        compounds = case.compounds.all()
    form = MeetingForm(request.POST or None, compounds=compounds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data.pop("compounds"))
        try:
            meeting = services.meeting_plan(
                neighbourhood=case.neighbourhood if case else chosen[0].neighbourhood,
                compounds=chosen,
                case=case,
                actor=request.user,
                **data,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect("cases:meeting", pk=meeting.pk)
    return render(request, "cases/meeting_new.html", {"form": form, "case": case})


@login_required
@require_GET
def meeting(request, pk: int):
    item = _meeting(pk)
    require(request, "cases.view_meeting", item, reason=_("This meeting is not one you follow."))
    manage = request.user.has_perm("cases.manage_meeting", item)
    carried = []
    upcoming = selectors.next_four_party(item.neighbourhood)
    if upcoming is not None and upcoming.pk == item.pk:
        carried = selectors.overdue_items(neighbourhood=item.neighbourhood)
    return render(
        request,
        "cases/meeting.html",
        {
            "meeting": item,
            "manage": manage,
            "attendees": item.attendees.all(),
            "resolutions": item.resolutions.all(),
            "actions": item.action_items.all(),
            "carried": carried,
            "record_form": RecordForm(),
            "close_form": CloseItemForm(),
            "planned": item.status == MeetingStatus.PLANNED,
        },
    )


def _organised_meeting(request, pk: int) -> Meeting:
    item = _meeting(pk)
    require(request, "cases.view_meeting", item, reason=_("This meeting is not one you follow."))
    require(
        request,
        "cases.manage_meeting",
        item,
        reason=_("Meetings are organised by the residents' committee and the sub-district."),
    )
    return item


@login_required
@require_POST
def meeting_record(request, pk: int):
    """The attendees, minutes, resolutions and action items of a meeting held."""
    item = _organised_meeting(request, pk)
    form = RecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            attendees = lines.parse_attendees(data["attendees"])
            actions = lines.parse_actions(data["actions"])
        except lines.LinesError as exc:
            messages.error(request, exc.text(_))
        else:
            attempt(
                request,
                lambda: services.meeting_record(
                    meeting=item,
                    minutes=data["minutes"],
                    attendees=attendees,
                    resolutions=data["resolutions"].splitlines(),
                    actions=actions,
                    actor=request.user,
                ),
                _("The meeting is recorded."),
            )
    else:
        messages.error(request, _("Record the attendees and the minutes."))
    return redirect("cases:meeting", pk=pk)


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    item = _organised_meeting(request, pk)
    attempt(
        request,
        lambda: services.meeting_cancel(meeting=item, actor=request.user),
        _("The meeting is cancelled."),
    )
    return redirect("cases:meeting", pk=pk)


@login_required
@require_POST
def action_item_close(request, pk: int, item_pk: int):
    item = _organised_meeting(request, pk)
    action_item = get_object_or_404(ActionItem, pk=item_pk, meeting=item)
    closing = CloseItemForm(request.POST)
    if closing.is_valid():
        attempt(
            request,
            lambda: services.action_item_close(
                item=action_item,
                status=closing.cleaned_data["status"],
                note=closing.cleaned_data["note"],
                closed_on=timezone.localdate(),
                actor=request.user,
            ),
            _("The action item is closed."),
        )
    else:
        messages.error(request, _("Say how it was closed."))
    return redirect("cases:meeting", pk=pk)


@login_required
def meeting_calendar(request, pk: int):
    item = _meeting(pk)
    require(request, "cases.view_meeting", item, reason=_("This meeting is not one you follow."))
    return calendar_download(request, [item], item.title, f"meeting-{item.pk}")


@login_required
def meetings(request):
    """Every meeting the user follows, newest first, with the calendar feed."""
    items = selectors.meetings_visible_to(request.user).order_by("-starts_at")
    if not items.exists() and not request.user.has_perm("cases.manage_meeting"):
        require(request, "cases.view_meeting", None, reason=_("No meeting concerns you."))
    return render(
        request,
        "cases/meetings.html",
        {
            "meetings": items[:200],
            "can_plan": request.user.has_perm("cases.manage_meeting"),
            "overdue": [
                i
                for i in selectors.overdue_items()
                if request.user.has_perm("cases.view_meeting", i.meeting)
            ],
        },
    )
