"""A consolidation case: the list, the timeline with what blocks the next stage, the
actions that move it (one handler each, under one permission), its public
milestones and its calendar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.params import object_or_404, parse_id
from gongzhi.core.permissions import require
from gongzhi.core.views import attempt, download
from gongzhi.notices.models import Notice, NoticeStatus
from gongzhi.registry.selectors import compounds_organised_by
from gongzhi.registry.services import MemberSpec
from gongzhi.selection.models import SelectionPlan
from gongzhi.voting.models import Decision, DecisionStatus

from .. import lines, selectors, services
from ..forms import (
    CaseForm,
    FilingForm,
    IntentionForm,
    MemberForm,
    MergeAreasForm,
    MergeCommitteesForm,
    OpinionForm,
    ReelectionForm,
    TaskForceForm,
    TaskForm,
    WaiverForm,
)
from ..models import (
    CommitteeFiling,
    ConsolidationCase,
    LegalOpinion,
    TaskForceMember,
    WorkTask,
)
from ..stages import Stage
from .common import calendar_download, case_or_404


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
    case = case_or_404(pk)
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
    case = case_or_404(pk)
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
    case = case_or_404(pk)
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
    case = case_or_404(pk)
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
    case = case_or_404(pk)
    require(request, "cases.view_case", case, reason=_("This case is not one you follow."))
    opinion = get_object_or_404(LegalOpinion, pk=opinion_pk, case=case)
    with opinion.file.open("rb") as handle:
        return download(handle.read(), f"opinion-{opinion.pk}.pdf", "application/pdf")


@login_required
def case_calendar(request, pk: int):
    case = case_or_404(pk)
    require(request, "cases.view_case", case, reason=_("This case is not one you follow."))
    meetings = case.meetings.all()
    seen = selectors.compounds_seen_by(request.user, case)
    if seen is not None:
        meetings = meetings.filter(compounds__in=seen).distinct()
    return calendar_download(request, meetings, case.title, f"case-{case.pk}")
