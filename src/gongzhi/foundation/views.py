"""Pages of the community foundation: the public disclosure of every restricted
fund (donations as their donors agreed, disbursements, balance to the fen), the
verification page a receipt's QR code opens, and the clerks' ledger — one view per
action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.core import clock
from gongzhi.core.views import XLSX, attempt, download
from gongzhi.notifications.services import absolute
from gongzhi.partners.models import Agreement, AgreementKind
from gongzhi.registry.models import Organisation, OrganisationKind

from . import selectors, services
from .documents import ledger_workbook, receipt_pdf
from .forms import ConsentForm, DisbursementForm, DisclosureForm, DonationForm, FundForm
from .models import DisbursementEvidence, DisclosureReport, Donation, Fund


def _fund(request, pk: int) -> Fund:
    fund = get_object_or_404(Fund.objects.select_related("foundation"), pk=pk)
    if not request.user.has_perm("foundation.view_fund", fund):
        raise Http404
    return fund


def _kept_fund(request, pk: int) -> Fund:
    fund = _fund(request, pk)
    if not request.user.has_perm("foundation.manage", fund):
        raise PermissionDenied(_("Only the foundation's clerks keep its ledger."))
    return fund


def _kept_foundation(request, pk: int) -> Organisation:
    foundation = get_object_or_404(Organisation, pk=pk, kind=OrganisationKind.FOUNDATION)
    if not request.user.has_perm("foundation.manage", foundation):
        raise PermissionDenied(_("Only the foundation's clerks keep its ledger."))
    return foundation


@require_GET
def index(request):
    funds = list(selectors.public_funds())
    sums = selectors.figures(funds)
    reports = DisclosureReport.objects.filter(
        foundation__in={f.foundation_id for f in funds}
    ).select_related("foundation", "fund")[:20]
    return render(
        request,
        "foundation/index.html",
        {
            "rows": [(fund, sums[fund.pk]) for fund in funds],
            "reports": reports,
            "keeps": selectors.foundations_kept_by(request.user).exists(),
        },
    )


@require_GET
def fund(request, pk: int):
    fund = _fund(request, pk)
    donations = list(fund.donations.order_by("-received_on", "-pk"))
    return render(
        request,
        "foundation/fund.html",
        {
            "fund": fund,
            "figures": selectors.fund_figures(fund),
            "donations": [(d, selectors.donor_shown(d)) for d in donations],
            "disbursements": fund.disbursements.select_related("consent"),
            "consents": fund.consents.all(),
            "reports": fund.disclosures.all(),
            "keeps": request.user.has_perm("foundation.manage", fund),
        },
    )


@require_GET
def verify(request, token: str):
    donation = get_object_or_404(
        Donation.objects.select_related("fund", "fund__foundation"), verify_token=token
    )
    if not donation.fund.published and not request.user.has_perm(
        "foundation.manage", donation.fund
    ):
        raise Http404
    return render(
        request,
        "foundation/verify.html",
        {"donation": donation, "donor": selectors.donor_shown(donation)},
    )


@login_required
@require_GET
def ledger(request):
    today = clock.today()
    foundations = list(selectors.foundations_kept_by(request.user))
    if not foundations:
        raise PermissionDenied(_("Only the foundation's clerks keep its ledger."))
    blocks = []
    for foundation in foundations:
        funds = list(Fund.objects.filter(foundation=foundation))
        sums = selectors.figures(funds)
        blocks.append(
            {
                "foundation": foundation,
                "funds": [(f, sums[f.pk]) for f in funds],
                "calendar": [
                    (due, due.overdue(today), DisclosureForm(initial={"key": due.obligation.key}))
                    for due in selectors.disclosure_calendar(foundation, today)
                ],
                "fund_form": FundForm(prefix=f"fund{foundation.pk}"),
            }
        )
    return render(request, "foundation/ledger.html", {"blocks": blocks, "today": today})


@login_required
@require_POST
def fund_new(request, pk: int):
    foundation = _kept_foundation(request, pk)
    form = FundForm(request.POST, prefix=f"fund{foundation.pk}")
    if form.is_valid():
        attempt(
            request,
            lambda: services.fund_create(
                foundation=foundation, actor=request.user, **form.cleaned_data
            ),
            _("The fund is set up."),
        )
    else:
        messages.error(
            request,
            _("Check the new fund's fields: %(errors)s") % {"errors": form.errors.as_text()},
        )
    return redirect("foundation:ledger")


@login_required
@require_POST
def disclosure_publish(request, pk: int):
    foundation = _kept_foundation(request, pk)
    form = DisclosureForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.disclosure_publish(
                foundation=foundation, actor=request.user, **form.cleaned_data
            ),
            _("The disclosure is published."),
        )
    else:
        messages.error(request, _("Give the disclosure's title and summary."))
    return redirect("foundation:ledger")


@login_required
@require_GET
def export(request, pk: int):
    foundation = _kept_foundation(request, pk)
    funds = list(Fund.objects.filter(foundation=foundation))
    name = f"{foundation.name}-{clock.today().isoformat()}.xlsx"
    return download(ledger_workbook(funds), name, XLSX)


def _agreements(fund: Fund):
    return Agreement.objects.filter(
        kind=AgreementKind.DONATION, parties__organisation=fund.foundation
    ).distinct()


@login_required
@require_http_methods(["GET", "POST"])
def donation_new(request, pk: int):
    fund = _kept_fund(request, pk)
    form = DonationForm(request.POST or None, agreements=_agreements(fund))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: services.donation_record(fund=fund, actor=request.user, **data),
            _("The donation is recorded."),
        ):
            return redirect("foundation:fund", fund.pk)
    return render(
        request,
        "foundation/form.html",
        {"fund": fund, "form": form, "title": _("Record a donation"), "action": request.path},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_new(request, pk: int):
    fund = _kept_fund(request, pk)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: services.consent_record(fund=fund, actor=request.user, **form.cleaned_data),
            _("The donor's consent is recorded."),
        ):
            return redirect("foundation:fund", fund.pk)
    return render(
        request,
        "foundation/form.html",
        {
            "fund": fund,
            "form": form,
            "title": _("Record a donor's consent to a new purpose"),
            "action": request.path,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_new(request, pk: int):
    fund = _kept_fund(request, pk)
    form = DisbursementForm(
        request.POST or None,
        request.FILES or None,
        initial={"purpose": fund.purpose, "beneficiary": fund.beneficiary},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: services.disbursement_record(fund=fund, actor=request.user, **data),
            _("The payment is recorded."),
        ):
            return redirect("foundation:fund", fund.pk)
    return render(
        request,
        "foundation/form.html",
        {
            "fund": fund,
            "form": form,
            "title": _("Record a payment"),
            "action": request.path,
            "balance": selectors.fund_figures(fund).balance,
            "multipart": True,
        },
    )


@login_required
@require_GET
def receipt(request, pk: int):
    donation = get_object_or_404(Donation.objects.select_related("fund__foundation"), pk=pk)
    if not request.user.has_perm("foundation.manage", donation.fund):
        raise Http404
    url = absolute(reverse("foundation:verify", args=[donation.verify_token]))
    name = f"{donation.received_on.isoformat()}-{donation.pk}.pdf"
    return download(receipt_pdf(donation, url), name, "application/pdf", inline=True)


@login_required
@require_GET
def evidence(request, pk: int):
    stored = get_object_or_404(
        DisbursementEvidence.objects.select_related("disbursement__fund"), pk=pk
    )
    if not request.user.has_perm("foundation.manage", stored.disbursement.fund):
        raise Http404
    return stored.response()
