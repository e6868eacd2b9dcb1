"""Pages of a consolidation case: the list, the timeline with what blocks the next
stage, the actions that move it, its public milestones, and its meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.params import object_or_404, parse_id
from gongzhi.core.permissions import require
from gongzhi.core.views import attempt, download
from gongzhi.notices.models import Notice, NoticeStatus
from gongzhi.registry.selectors import compounds_organised_by
from gongzhi.registry.services import MemberSpec
from gongzhi.selection.models import SelectionPlan
from gongzhi.voting.models import Decision, DecisionStatus

from . import lines, selectors, services
from .forms import (
    CaseForm,
    CloseItemForm,
    FilingForm,
    IntentionForm,
    MeetingForm,
    MemberForm,
    MergeAreasForm,
    MergeCommitteesForm,
    OpinionForm,
    RecordForm,
    ReelectionForm,
    TaskForceForm,
    TaskForm,
    WaiverForm,
)
from .ics import meetings_ics
from .models import (
    ActionItem,
    CommitteeFiling,
    ConsolidationCase,
    LegalOpinion,
    Meeting,
    MeetingStatus,
    TaskForceMember,
    WorkTask,
)
from .stages import Stage


def _case(pk: int) -> ConsolidationCase:
    return get_object_or_404(
        ConsolidationCase.objects.select_related(
            "neighbourhood__sub_district",
            "approval_decision",
            "selection_plan",
            "disclosure_notice",
            "merger_decision",
            "merger_notice",
            "merged_area",
            "committee_decision",
            "merged_committee",
            "reelection",
        ),
        pk=pk,
    )


def index(request):
    """Cases the user follows; everyone sees the public milestones of every case."""
    mine = selectors.cases_visible_to(request.user) if request.user.is_authenticated else None
    return render(
        request,
        "cases/index.html",
        {
            "mine": mine,
            "public": ConsolidationCase.objects.select_related("neighbourhood").order_by(
                "-opened_at"
            ),
            "can_open": request.user.is_authenticated
            and request.user.has_perm("cases.manage_case"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    require(
        request,
        "cases.manage_case",
        reason=_("Cases are opened by the residents' committee and the sub-district."),
    )
    compounds = compounds_organised_by(request.user).select_related(
        "neighbourhood", "property_company"
    )
    form = CaseForm(request.POST or None, compounds=compounds)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["compounds"])
        try:
            case = services.case_open(
                neighbourhood=chosen[0].neighbourhood,
                title=form.cleaned_data["title"],
                compounds=[(c, c.property_company) for c in chosen],
                actor=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/new.html", {"form": form})


@login_required
def detail(request, pk: int):
    case = _case(pk)
    require(request, "cases.view_case", case, reason=_("This case is not one you follow."))
    user = request.user
    manage = user.has_perm("cases.manage_case", case)
    seen = selectors.compounds_seen_by(user, case)
    rows = selectors.timeline_for(user, case, _)
    compounds = case.compounds.order_by("name")
    meetings = case.meetings.order_by("-starts_at")
    if seen is not None:
        meetings = meetings.filter(compounds__in=seen).distinct()
    task_force = getattr(case, "task_force", None)
    context = {
        "case": case,
        "rows": rows,
        "manage": manage,
        "can_sign": user.has_perm("cases.sign_off", case),
        "restricted": seen is not None,
        "counts": selectors.case_counts(case),
        "members": case.members.select_related("compound", "exiting_company").order_by(
            "compound__name"
        ),
        "task_force": task_force,
        "task_force_members": list(task_force.members.all()) if task_force else [],
        "tasks": task_force.tasks.select_related("owner") if task_force else [],
        "intentions": case.intentions.select_related("compound", "company"),
        "opinions": case.legal_opinions.select_related("signed_off_by"),
        "waivers": case.waivers.select_related("compound"),
        "filings": case.filings.select_related("committee"),
        "meetings": meetings[:100],
        "overdue": selectors.overdue_items(case=case),
        "completed": case.stage == Stage.COMPLETED,
    }
    if manage:
        decisions = Decision.objects.filter(neighbourhood=case.neighbourhood).order_by("-opens_at")
        notices = Notice.objects.filter(neighbourhood=case.neighbourhood).exclude(
            status=NoticeStatus.WITHDRAWN
        )
        context.update(
            decisions=decisions,
            plans=SelectionPlan.objects.filter(neighbourhood=case.neighbourhood),
            notices=notices.order_by("-display_from"),
            task_force_form=TaskForceForm(),
            member_form=MemberForm(),
            task_form=TaskForm(),
            intention_form=IntentionForm(compounds=compounds),
            opinion_form=OpinionForm(),
            waiver_form=WaiverForm(compounds=compounds),
            merge_form=MergeAreasForm(),
            reelection_form=ReelectionForm(),
            committee_form=MergeCommitteesForm(),
            filing_form=FilingForm(),
        )
    return render(request, "cases/detail.html", context)


def public(request, pk: int):
    """The milestones anyone may read: stages reached and when, counts, public links."""
    case = _case(pk)
    reached = dict(case.history.values_list("stage", "at"))
    return render(
        request,
        "cases/public.html",
        {
            "case": case,
            "milestones": [(Stage(s).label, reached.get(s)) for s in Stage.values],
            "counts": selectors.case_counts(case),
            "compounds": case.compounds.order_by("name"),
            "notices": case.notices.exclude(status=NoticeStatus.DRAFT).order_by("display_from"),
            "decisions": case.decisions.exclude(status=DecisionStatus.DRAFT).order_by("opens_at"),
        },
    )


def _advance(request, case):
    try:
        case = services.case_advance(case=case, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reached: %(stage)s.") % {"stage": Stage(case.stage).label})


def _link(request, case):
    link = request.POST.get("link", "")
    model = services.LINKS.get(link)
    if model is None:
        raise Http404
    target = object_or_404(model, request.POST.get("target"))
    attempt(
        request,
        lambda: services.case_link(case=case, link=link, target=target, actor=request.user),
        _("Linked."),
    )


def _form_action(form_class, service, success, incomplete, **form_kwargs):
    """An action that validates a form and hands its data to a service."""

    def handle(request, case):
        extra = {k: v(case) for k, v in form_kwargs.items()}
        form = form_class(request.POST, request.FILES, **extra)
        if not form.is_valid():
            messages.error(request, incomplete)
            return
        attempt(
            request,
            lambda: service(case=case, actor=request.user, **form.cleaned_data),
            success,
        )

    return handle


def _member(request, case):
    form = MemberForm(request.POST)
    task_force = getattr(case, "task_force", None)
    if not form.is_valid() or task_force is None:
        messages.error(request, _("Form the task force, then add its members."))
        return
    attempt(
        request,
        lambda: services.task_force_member_add(
            task_force=task_force,
            entry=services.MemberEntry(**form.cleaned_data),
            actor=request.user,
        ),
        _("Member added."),
    )


def _task(request, case):
    form = TaskForm(request.POST)
    owner = TaskForceMember.objects.filter(
        pk=parse_id(request.POST.get("owner")), task_force__case=case
    ).first()
    if not form.is_valid() or owner is None:
        messages.error(request, _("Give the task, who is responsible and the due date."))
        return
    attempt(
        request,
        lambda: services.work_task_add(
            task_force=case.task_force,
            title=form.cleaned_data["title"],
            owner=owner,
            due_on=form.cleaned_data["due_on"],
            actor=request.user,
        ),
        _("Task added to the work plan."),
    )


def _task_done(request, case):
    task = object_or_404(WorkTask, request.POST.get("task"), task_force__case=case)
    attempt(
        request,
        lambda: services.work_task_close(
            task=task, done_on=timezone.localdate(), actor=request.user
        ),
        _("Task done."),
    )


def _opinion(request, case):
    form = OpinionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Give the association, the title, the conclusion and the PDF."))
        return
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.legal_opinion_upload(
            case=case,
            association=data["association"],
            title=data["title"],
            conclusion=data["conclusion"],
            upload=data["file"],
            actor=request.user,
        ),
        _("The opinion is uploaded; the sub-district signs it off."),
    )


def _merge_committees(request, case):
    form = MergeCommitteesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the name, the term and the members."))
        return
    data = form.cleaned_data
    try:
        members = lines.parse_members(data["members"])
    except lines.LinesError as exc:
        messages.error(request, exc.text(_))
        return
    attempt(
        request,
        lambda: services.committees_merge(
            case=case,
            name=data["name"],
            term_start=data["term_start"],
            term_end=data["term_end"],
            members=[MemberSpec(name=n, role=r) for n, r in members],
            on=timezone.localdate(),
            actor=request.user,
        ),
        _("The merged committee is recorded; the filings are due within 30 days."),
    )


def _filing(request, case):
    filing = object_or_404(CommitteeFiling, request.POST.get("filing"), case=case)
    form = FilingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and the reference."))
        return
    attempt(
        request,
        lambda: services.filing_record(filing=filing, actor=request.user, **form.cleaned_data),
        _("The filing is recorded."),
    )


def _case_compounds(case):
    return case.compounds.all()


ACTIONS = {
    "advance": _advance,
    "link": _link,
    "waive": _form_action(
        WaiverForm,
        services.stage_waive,
        gettext_lazy("Marked not applicable for this compound."),
        gettext_lazy("Give the compound, the stage and the reason."),
        compounds=_case_compounds,
    ),
    "task_force": _form_action(
        TaskForceForm,
        services.task_force_form,
        gettext_lazy("The task force is formed."),
        gettext_lazy("Give the name, the leader and the date."),
    ),
    "member": _member,
    "task": _task,
    "task_done": _task_done,
    "intention": _form_action(
        IntentionForm,
        services.intention_record,
        gettext_lazy("The intention is recorded."),
        gettext_lazy("Give the compound, the company, the intention and the date."),
        compounds=_case_compounds,
    ),
    "opinion": _opinion,
    "merge_areas": _form_action(
        MergeAreasForm,
        services.areas_merge,
        gettext_lazy("The management areas are merged."),
        gettext_lazy("Give the name and the date."),
    ),
    "reelection": _form_action(
        ReelectionForm,
        services.reelection_start,
        gettext_lazy("The re-election has started."),
        gettext_lazy("Give the date."),
    ),
    "merge_committees": _merge_committees,
    "filing": _filing,
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    """Every change to a case, by name; each says what it did or why it could not."""
    case = _case(pk)
    require(
        request,
        "cases.manage_case",
        case,
        reason=_("The residents' committee and the sub-district run the case."),
    )
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    handler(request, case)
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def sign_off(request, pk: int, opinion_pk: int):
    case = _case(pk)
    require(request, "cases.sign_off", case, reason=_("The sub-district signs opinions off."))
    opinion = get_object_or_404(LegalOpinion, pk=opinion_pk, case=case)
    attempt(
        request,
        lambda: services.legal_opinion_sign_off(opinion=opinion, actor=request.user),
        _("Signed off."),
    )
    return redirect("cases:detail", pk=pk)


@login_required
def opinion_file(request, pk: int, opinion_pk: int):
    case = _case(pk)
    require(request, "cases.view_case", case, reason=_("This case is not one you follow."))
    opinion = get_object_or_404(LegalOpinion, pk=opinion_pk, case=case)
    with opinion.file.open("rb") as handle:
        return download(handle.read(), f"opinion-{opinion.pk}.pdf", "application/pdf")


@login_required
def case_calendar(request, pk: int):
    case = _case(pk)
    require(request, "cases.view_case", case, reason=_("This case is not one you follow."))
    meetings = case.meetings.all()
    seen = selectors.compounds_seen_by(request.user, case)
    if seen is not None:
        meetings = meetings.filter(compounds__in=seen).distinct()
    return _ics(request, meetings, case.title, f"case-{case.pk}")


def _ics(request, meetings, name: str, filename: str) -> HttpResponse:
    return download(
        meetings_ics(meetings, name=name, domain=request.get_host().split(":")[0]),
        f"{filename}.ics",
        "text/calendar; charset=utf-8",
    )


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
        case = _case(case_id)
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
    return _ics(request, [item], item.title, f"meeting-{item.pk}")


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
