"""Pages of partners and agreements: the public part of each signed agreement
(parties, kind, dates, commitments' titles and status) and of events; the
economic-development officers' work page, pipeline and forms — one view per action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.core import clock
from gongzhi.core.views import attempt

from . import selectors, services
from .forms import (
    AgreementForm,
    CommitmentForm,
    DoneForm,
    EnterpriseForm,
    EventForm,
    OrganisationForm,
    ServiceForm,
    StageForm,
    StepForm,
)
from .models import STAGE_ORDER, Agreement, AgreementDocument, Commitment, Enterprise, Event

REFUSED = gettext_lazy("Only the sub-district's economic-development officers manage its partners.")


def _agreement(request, pk: int) -> Agreement:
    agreement = get_object_or_404(Agreement.objects.select_related("sub_district", "event"), pk=pk)
    if not request.user.has_perm("partners.view_agreement", agreement):
        raise Http404
    return agreement


def _home(request):
    areas = list(selectors.managed_sub_districts(request.user)[:2])
    if not areas:
        raise PermissionDenied(REFUSED)
    return areas[0]


@require_GET
def index(request):
    return render(
        request,
        "partners/index.html",
        {
            "agreements": selectors.public_agreements(),
            "events": selectors.public_events()[:20],
            "today": clock.today(),
            "manages": selectors.managed_sub_districts(request.user).exists(),
        },
    )


@require_GET
def agreement(request, pk: int):
    agreement = _agreement(request, pk)
    manages = request.user.has_perm("partners.manage", agreement)
    return render(
        request,
        "partners/agreement.html",
        {
            "agreement": agreement,
            "parties": agreement.parties.select_related("organisation"),
            "commitments": [
                (c, c.overdue_on(clock.today()))
                for c in agreement.commitments.select_related("owner", "event")
            ],
            "today": clock.today(),
            "manages": manages,
            "step_form": StepForm() if manages else None,
            "commitment_form": CommitmentForm(agreement=agreement) if manages else None,
            "done_form": DoneForm(initial={"done_on": clock.today()}) if manages else None,
            "document": AgreementDocument.objects.filter(agreement=agreement).first(),
            "donations": agreement.donations.select_related("fund") if manages else [],
        },
    )


@login_required
@require_GET
def document(request, pk: int):
    agreement = _agreement(request, pk)
    if not request.user.has_perm("partners.manage", agreement):
        raise Http404  # the signed text may name people; the public part is the page
    return get_object_or_404(AgreementDocument, agreement=agreement).response()


@require_GET
def event(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("sub_district"), pk=pk)
    return render(
        request,
        "partners/event.html",
        {
            "event": event,
            "booths": event.booths.select_related("merchant"),
            "agreements": event.agreements.exclude(status="draft"),
            "commitments": event.commitments.select_related("agreement"),
        },
    )


@login_required
@require_GET
def work(request):
    home = _home(request)
    today = clock.today()
    enterprises = list(selectors.pipeline(request.user))
    return render(
        request,
        "partners/work.html",
        {
            "agreements": selectors.agreements_managed(request.user),
            "overdue": selectors.overdue_commitments(request.user, today),
            "enterprises": enterprises,
            "per_partner": selectors.counts_per_partner(enterprises),
            "stages": STAGE_ORDER,
            "home": home,
            "organisation_form": OrganisationForm(),
            "agreement_form": AgreementForm(),
            "event_form": EventForm(),
            "enterprise_form": EnterpriseForm(),
        },
    )


def _post_form(request, form, action, success: str) -> bool:
    if form.is_valid():
        return attempt(request, lambda: action(form.cleaned_data), success)
    messages.error(request, _("Check the form: %(errors)s") % {"errors": form.errors.as_text()})
    return False


@login_required
@require_POST
def organisation_new(request):
    home = _home(request)
    _post_form(
        request,
        OrganisationForm(request.POST),
        lambda d: services.organisation_save(sub_district=home, actor=request.user, **d),
        _("The organisation is saved."),
    )
    return redirect("partners:work")


@login_required
@require_POST
def agreement_new(request):
    home = _home(request)
    form = AgreementForm(request.POST)
    created: list[Agreement] = []

    def create(data):
        created.append(
            services.agreement_create(
                sub_district=home,
                kind=data["kind"],
                title=data["title"],
                summary=data["summary"],
                signed_on=data["signed_on"],
                effective_on=data["effective_on"],
                expires_on=data["expires_on"],
                parties=form.parties(),
                actor=request.user,
            )
        )

    if _post_form(request, form, create, _("The agreement is drafted.")):
        return redirect("partners:agreement", created[0].pk)
    return redirect("partners:work")


@login_required
@require_POST
def agreement_step(request, pk: int, step: str):
    agreement = _agreement(request, pk)
    if step not in services.TRANSITIONS:
        raise Http404
    form = StepForm(request.POST, request.FILES)
    _post_form(
        request,
        form,
        lambda d: services.agreement_step(
            agreement=agreement,
            step=step,
            actor=request.user,
            reason=d["reason"],
            signed_on=d["signed_on"],
            document=d["document"],
        ),
        _("The agreement's status is changed."),
    )
    return redirect("partners:agreement", agreement.pk)


@login_required
@require_POST
def commitment_new(request, pk: int):
    agreement = _agreement(request, pk)
    _post_form(
        request,
        CommitmentForm(request.POST, agreement=agreement),
        lambda d: services.commitment_add(agreement=agreement, actor=request.user, **d),
        _("The commitment is added."),
    )
    return redirect("partners:agreement", agreement.pk)


@login_required
@require_POST
def commitment_done(request, pk: int):
    commitment = get_object_or_404(Commitment.objects.select_related("agreement"), pk=pk)
    _post_form(
        request,
        DoneForm(request.POST),
        lambda d: services.commitment_done(commitment=commitment, actor=request.user, **d),
        _("The commitment is done."),
    )
    return redirect("partners:agreement", commitment.agreement_id)


@login_required
@require_POST
def event_new(request):
    home = _home(request)
    _post_form(
        request,
        EventForm(request.POST),
        lambda d: services.event_create(sub_district=home, actor=request.user, **d),
        _("The event is recorded."),
    )
    return redirect("partners:work")


@login_required
@require_POST
def enterprise_new(request):
    home = _home(request)
    _post_form(
        request,
        EnterpriseForm(request.POST),
        lambda d: services.enterprise_add(sub_district=home, actor=request.user, **d),
        _("The enterprise is in the pipeline."),
    )
    return redirect("partners:work")


def _enterprise(request, pk: int) -> Enterprise:
    enterprise = get_object_or_404(
        Enterprise.objects.select_related("organisation", "recommended_by", "agreement"), pk=pk
    )
    if not request.user.has_perm("partners.manage", enterprise):
        raise Http404
    return enterprise


@login_required
@require_http_methods(["GET"])
def enterprise(request, pk: int):
    enterprise = _enterprise(request, pk)
    return render(
        request,
        "partners/enterprise.html",
        {
            "enterprise": enterprise,
            "services": enterprise.services.all(),
            "stage_form": StageForm(initial={"on": clock.today()}),
            "service_form": ServiceForm(initial={"on": clock.today()}),
        },
    )


@login_required
@require_POST
def enterprise_stage(request, pk: int):
    enterprise = _enterprise(request, pk)
    _post_form(
        request,
        StageForm(request.POST),
        lambda d: services.enterprise_stage(enterprise=enterprise, actor=request.user, **d),
        _("The enterprise moved on."),
    )
    return redirect("partners:enterprise", enterprise.pk)


@login_required
@require_POST
def service_new(request, pk: int):
    enterprise = _enterprise(request, pk)
    _post_form(
        request,
        ServiceForm(request.POST),
        lambda d: services.service_record(enterprise=enterprise, actor=request.user, **d),
        _("The service is recorded."),
    )
    return redirect("partners:enterprise", enterprise.pk)
