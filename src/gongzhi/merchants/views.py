"""Pages of the featured-merchant certification: the public directory with its map,
each shop's profile, certificate verification and PDF; the work pages of the office
that runs the scheme, the sub-district's officers who nominate, the panel, and the
merchant — one view per action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.accounts.models import Membership, Role, User
from gongzhi.accounts.scopes import scopes_for
from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError, RateLimited
from gongzhi.core.net import client_address
from gongzhi.core.params import parse_id
from gongzhi.core.views import attempt, download, too_many
from gongzhi.notifications.services import absolute
from gongzhi.registry.models import SubDistrict

from . import selectors, services
from .documents import certificate_pdf as make_certificate_pdf
from .documents import directory_map
from .forms import (
    ApplicationForm,
    DecisionForm,
    InviteForm,
    MerchantForm,
    OutdatedForm,
    PanelForm,
    ReasonForm,
    ResolveForm,
)
from .models import (
    Application,
    ApplicationEvidence,
    ApplicationStatus,
    Category,
    Certificate,
    Merchant,
    MerchantPhoto,
    OutdatedReport,
    Scheme,
)


def _listed_or_kept(request, pk: int) -> Merchant:
    """A shop in the directory today, or one the user keeps, nominates or certifies."""
    merchant = get_object_or_404(Merchant.objects.select_related("sub_district"), pk=pk)
    if not request.user.has_perm("merchants.view_merchant", merchant):
        raise Http404
    return merchant


@require_GET
def directory(request):
    today = clock.today()
    query = request.GET.get("q", "").strip()[:50]
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    area = parse_id(request.GET.get("sub_district"))
    merchants = list(
        selectors.directory(today, query=query, category=category, sub_district=area)[:200]
    )
    certificates = selectors.valid_certificates(merchants, today)
    areas = SubDistrict.objects.filter(merchants__isnull=False).distinct().order_by("name")
    return render(
        request,
        "merchants/directory.html",
        {
            "rows": [(m, certificates.get(m.pk)) for m in merchants],
            "map": directory_map(merchants, title=_("Featured merchants")),
            "query": query,
            "category": category,
            "categories": Category.choices,
            "areas": areas,
            "area": area,
            "works": _works_here(request.user),
        },
    )


def _works_here(user) -> bool:
    scopes = scopes_for(user)
    return bool(
        scopes.superuser
        or scopes.schemes_run_by
        or scopes.economic_sub_districts
        or scopes.merchant_organisations
        or scopes.expert
    )


@require_GET
def profile(request, pk: int):
    merchant = _listed_or_kept(request, pk)
    today = clock.today()
    return render(
        request,
        "merchants/profile.html",
        {
            "merchant": merchant,
            "certificate": selectors.current_certificate(merchant, today),
            "photos": merchant.photos.all(),
            "booths": merchant.booths.select_related("event").order_by("-event__held_on"),
            "form": OutdatedForm(),
            "keeps": request.user.has_perm("merchants.keep", merchant)
            or request.user.has_perm("merchants.nominate", merchant),
        },
    )


@require_GET
def photo(request, pk: int, photo_pk: int):
    merchant = _listed_or_kept(request, pk)
    return get_object_or_404(MerchantPhoto, pk=photo_pk, merchant=merchant).response()


@require_POST
def outdated(request, pk: int):
    merchant = _listed_or_kept(request, pk)
    form = OutdatedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is out of date."))
        return redirect("merchants:profile", merchant.pk)
    try:
        services.outdated_report(
            merchant=merchant,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            address=client_address(request),
        )
    except RateLimited as refusal:
        return too_many(request, refusal)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Thank you. The office that certifies shops will check it."))
    return redirect("merchants:profile", merchant.pk)


def _form_merchant(merchant: Merchant | None):
    if merchant is None:
        return None
    return {
        "name": merchant.name,
        "address": merchant.address,
        "category": merchant.category,
        "credit_code": merchant.organisation.credit_code,
        "opening_hours": merchant.opening_hours,
        "story": merchant.story,
        "latitude": merchant.latitude,
        "longitude": merchant.longitude,
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    merchant = get_object_or_404(Merchant.objects.select_related("organisation"), pk=pk)
    user = request.user
    if not (
        user.has_perm("merchants.keep", merchant) or user.has_perm("merchants.nominate", merchant)
    ):
        raise PermissionDenied(_("This is not your shop."))
    form = MerchantForm(
        request.POST or None, request.FILES or None, initial=_form_merchant(merchant)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: services.merchant_save(
                actor=user, merchant=merchant, sub_district=merchant.sub_district, **data
            ),
            _("The shop's profile is saved."),
        ):
            return redirect("merchants:profile", merchant.pk)
    keepers = (
        Membership.objects.current()
        .filter(role=Role.MERCHANT, organisation=merchant.organisation)
        .select_related("user")
    )
    return render(
        request,
        "merchants/edit.html",
        {
            "form": form,
            "merchant": merchant,
            "keepers": [m.user for m in keepers],
            "invite_form": InviteForm() if user.has_perm("merchants.nominate", merchant) else None,
        },
    )


@login_required
@require_POST
def invite(request, pk: int):
    """The shop's sub-district invites its merchant: an account found or made by
    mobile number, the merchant role over the shop, an SMS with a link to set a
    password."""
    from gongzhi.people.services.grants import person_grant

    merchant = get_object_or_404(Merchant.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("merchants.nominate", merchant):
        raise PermissionDenied(_("Only the shop's sub-district invites its merchant."))
    form = InviteForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: person_grant(
                actor=request.user,
                role=Role.MERCHANT,
                phone=form.cleaned_data["phone"],
                name=form.cleaned_data["name"],
                organisation=merchant.organisation,
            ),
            _("The merchant is invited by SMS."),
        )
    else:
        messages.error(request, _("Give the merchant's name and mobile number."))
    return redirect("merchants:edit", merchant.pk)


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    scopes = scopes_for(request.user)
    areas = (
        SubDistrict.objects.all()
        if scopes.superuser
        else SubDistrict.objects.filter(pk__in=scopes.economic_sub_districts | scopes.sub_districts)
    )
    if not areas.exists():
        raise PermissionDenied(
            _("Only the sub-district's economic-development officers add a shop.")
        )
    form = MerchantForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = []
        if attempt(
            request,
            lambda: created.append(
                services.merchant_save(actor=request.user, sub_district=areas.first(), **data)
            ),
            _("The shop is added."),
        ):
            return redirect("merchants:edit", created[0].pk)
    return render(request, "merchants/edit.html", {"form": form, "merchant": None})


def _certificate(number: str) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("merchant", "version__scheme__run_by", "application"),
        number=number[:40],
    )


@require_GET
def certificate(request, number: str):
    certificate = _certificate(number)
    today = clock.today()
    return render(
        request,
        "merchants/certificate.html",
        {
            "certificate": certificate,
            "status": certificate.status_on(today),
            "runs": request.user.has_perm("merchants.run", certificate.application),
            "form": ReasonForm(),
        },
    )


@require_GET
def certificate_pdf(request, number: str):
    certificate = _certificate(number)
    url = absolute(reverse("merchants:certificate", args=[certificate.number]))
    return download(
        make_certificate_pdf(certificate, url),
        f"{certificate.number}.pdf",
        "application/pdf",
        inline=True,
    )


@login_required
@require_POST
def certificate_change(request, number: str, action: str):
    certificate = _certificate(number)
    if action not in services.STATUS_CHANGES:
        raise Http404
    if not request.user.has_perm("merchants.run", certificate.application):
        raise PermissionDenied(_("Only the office that runs the scheme does this."))
    form = ReasonForm(request.POST)
    form.is_valid()
    attempt(
        request,
        lambda: services.certificate_change(
            certificate=certificate,
            action=action,
            reason=form.cleaned_data.get("reason", ""),
            actor=request.user,
        ),
        _("The certificate is changed."),
    )
    return redirect("merchants:certificate", certificate.number)


@login_required
@require_GET
def work(request):
    user = request.user
    if not _works_here(user):
        raise PermissionDenied(
            _("This page is for the certification's officers, reviewers and merchants.")
        )
    scopes = scopes_for(user)
    kept = Merchant.objects.filter(organisation_id__in=scopes.merchant_organisations)
    nominated = Merchant.objects.filter(
        sub_district_id__in=scopes.economic_sub_districts | scopes.sub_districts
    )
    return render(
        request,
        "merchants/work.html",
        {
            "applications": selectors.applications_for(user)[:200],
            "to_review": selectors.to_review(user),
            "reports": selectors.open_reports_for(user),
            "kept": kept,
            "nominated": nominated if scopes.economic_sub_districts or scopes.superuser else [],
            "may_add": bool(scopes.economic_sub_districts or scopes.superuser),
            "resolve_form": ResolveForm(),
        },
    )


def _applicable(user):
    scopes = scopes_for(user)
    if scopes.superuser:
        return Merchant.objects.all()
    return Merchant.objects.filter(
        organisation_id__in=scopes.merchant_organisations
    ) | Merchant.objects.filter(
        sub_district_id__in=scopes.economic_sub_districts | scopes.sub_districts
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    merchants = _applicable(request.user).distinct()
    if not merchants.exists():
        raise PermissionDenied(_("A shop applies for itself, or its sub-district nominates it."))
    chosen = parse_id(request.GET.get("merchant"))
    only = merchants.first() if merchants.count() == 1 else None
    initial = {"merchant": chosen or (only.pk if only else None)}
    form = ApplicationForm(
        request.POST or None, request.FILES or None, merchants=merchants, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        merchant = data["merchant"]
        scheme = Scheme.objects.filter(district=merchant.sub_district.district).first()
        version = scheme.versions.order_by("-number").first() if scheme else None
        if version is None:
            messages.error(request, _("No certification scheme covers this shop's district."))
        else:
            created = []
            evidence = [data["evidence"]] if data["evidence"] else []
            if attempt(
                request,
                lambda: created.append(
                    services.application_submit(
                        merchant=merchant,
                        version=version,
                        statement=data["statement"],
                        actor=request.user,
                        evidence=evidence,
                    )
                ),
                _("The application is submitted."),
            ):
                return redirect("merchants:application", created[0].pk)
    return render(request, "merchants/apply.html", {"form": form})


def _application(request, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("merchant", "version__scheme", "nominated_by"), pk=pk
    )
    if not request.user.has_perm("merchants.view_application", application):
        raise Http404
    return application


def _reviewers():
    experts = Membership.objects.current().filter(role=Role.EXPERT).values("user_id")
    return User.objects.filter(pk__in=experts, is_active=True).order_by("display_name", "username")


@login_required
@require_GET
def application(request, pk: int):
    application = _application(request, pk)
    user = request.user
    runs = user.has_perm("merchants.run", application)
    sheet = application.sheets.filter(reviewer=user).first() if user.is_authenticated else None
    result = selectors.result(application)
    sheets = list(application.sheets.select_related("reviewer")) if result else []
    return render(
        request,
        "merchants/application.html",
        {
            "application": application,
            "criteria": selectors.criteria(application.version),
            "runs": runs,
            "sheet": sheet,
            "result": result,
            "sheets": sheets,
            "submitted": application.sheets.filter(submitted_at__isnull=False).count(),
            "panel_size": application.sheets.count(),
            "panel_form": PanelForm(reviewers=_reviewers()) if runs else None,
            "decision_form": DecisionForm() if runs else None,
            "evidence": application.evidence.all(),
            "statuses": ApplicationStatus,
            "certificate": getattr(application, "certificate", None)
            if application.status == ApplicationStatus.CERTIFIED
            else None,
        },
    )


@login_required
@require_POST
def panel(request, pk: int):
    application = _application(request, pk)
    form = PanelForm(request.POST, reviewers=_reviewers())
    if form.is_valid():
        attempt(
            request,
            lambda: services.panel_set(
                application=application,
                reviewers=list(form.cleaned_data["reviewers"]),
                actor=request.user,
            ),
            _("The panel is named; reviewing starts."),
        )
    else:
        messages.error(request, _("Choose the reviewers."))
    return redirect("merchants:application", application.pk)


@login_required
@require_POST
def scores(request, pk: int):
    application = _application(request, pk)
    values = {
        c.key: request.POST.get(f"score-{c.key}", "")
        for c in selectors.criteria(application.version)
    }
    attempt(
        request,
        lambda: services.scores_submit(
            application=application,
            scores=values,
            declared_no_conflict=request.POST.get("declared") == "1",
            actor=request.user,
        ),
        _("Your scores are submitted."),
    )
    return redirect("merchants:application", application.pk)


@login_required
@require_POST
def decide(request, pk: int):
    application = _application(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.application_decide(
                application=application,
                certify=form.cleaned_data["certify"],
                reasons=form.cleaned_data["reasons"],
                actor=request.user,
            ),
            _("The application is decided."),
        )
    else:
        messages.error(request, _("Choose a decision and give the reasons."))
    return redirect("merchants:application", application.pk)


@login_required
@require_GET
def evidence(request, pk: int, file_pk: int):
    application = _application(request, pk)
    return get_object_or_404(ApplicationEvidence, pk=file_pk, application=application).response()


@login_required
@require_POST
def resolve(request, pk: int):
    report = get_object_or_404(OutdatedReport.objects.select_related("merchant"), pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.outdated_resolve(
                report=report,
                resolution=form.cleaned_data["resolution"],
                verified=form.cleaned_data["verified"],
                actor=request.user,
            ),
            _("The report is handled."),
        )
    else:
        messages.error(request, _("Say what was done."))
    return redirect("merchants:work")
