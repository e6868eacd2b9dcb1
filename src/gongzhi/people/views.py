"""People and roles: inviting and ending roles; owners claiming their units,
activating with a letter, or linked in person; printing activation letters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.accounts.models import Role
from gongzhi.accounts.services.codes import mobile
from gongzhi.core.errors import ApplicationError, RateLimited
from gongzhi.core.jobs import job_start
from gongzhi.core.net import client_address
from gongzhi.core.views import attempt, too_many
from gongzhi.registry.models import Compound, Owner

from . import selectors
from .forms import (
    ActivateForm,
    ClaimForm,
    ConfirmForm,
    FindUnitForm,
    InviteForm,
    LettersForm,
    LinkForm,
)
from .letters import print_letters
from .services import claims, grants

BACKEND = "gongzhi.accounts.backends.PhoneOrUsernameBackend"
SENT = gettext_noop(
    "If the roll agrees with what you gave, a code was sent to that mobile. It is valid "
    "for 10 minutes. If no code comes, check the details, or come to the residents' "
    "committee with your ID card and property certificate."
)


def _manager(request):
    if not request.user.has_perm("people.manage_people"):
        raise PermissionDenied(
            _("Only sub-district staff and residents' committee clerks manage people.")
        )


@login_required
def index(request):
    _manager(request)
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    text = request.GET.get("q", "").strip()[:50]
    people = selectors.people_managed_by(request.user, role=role, text=text)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/index.html",
        {
            "page": page,
            "people": page.object_list,
            "q": text,
            "roles": [r for r in Role if r != Role.OWNER],
            "role": role,
            "can_invite": bool(grants.grantable_roles(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    _manager(request)
    form = InviteForm(
        request.POST or None,
        roles=grants.grantable_roles(request.user),
        sub_districts=selectors.sub_districts_managed_by(request.user),
        areas=selectors.areas_managed_by(request.user),
        compounds=selectors.compounds_managed_by(request.user),
        companies=selectors.companies_managed_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role = Role(data["role"])
        scope_field = {
            Role.SUB_DISTRICT_OFFICIAL: "sub_district",
            Role.CLERK: "neighbourhood",
            Role.COMMITTEE_MEMBER: "compound",
            Role.COMPANY_STAFF: "company",
        }.get(role)
        scope = {scope_field: data[scope_field]} if scope_field else {}
        if attempt(
            request,
            lambda: grants.person_grant(
                actor=request.user,
                role=role,
                phone=data["phone"],
                name=data["name"],
                term_ends_on=data.get("term_ends_on"),
                **scope,
            ),
            _("%(name)s is invited: an SMS with a link to set a password is on its way.")
            % {"name": data["name"]},
        ):
            return redirect("people:index")
    return render(request, "people/invite.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def role_end(request, pk: int):
    """Ask, then end a role (a GET only shows what would end)."""
    _manager(request)
    membership = get_object_or_404(selectors.people_managed_by(request.user), pk=pk)
    if request.method == "POST":
        attempt(
            request,
            lambda: grants.person_role_end(actor=request.user, membership=membership),
            _("The role has ended; it stays in the history."),
        )
        return redirect("people:index")
    return render(request, "people/role_end.html", {"membership": membership})


def _public_compounds():
    return Compound.objects.select_related("neighbourhood__sub_district").order_by(
        "neighbourhood__sub_district__name", "neighbourhood__name", "name"
    )


def _refused(request, template, context, exc: ApplicationError, status=400):
    if isinstance(exc, RateLimited):
        return too_many(request, exc)
    context["refusal"] = exc.message
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def claim(request):
    """An owner claims their units with the ID number and mobile the roll has."""
    form = ClaimForm(request.POST or None, compounds=_public_compounds())
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claims.claim_request(
                compound=data["compound"],
                building=data["building"],
                room=data["room"],
                id_number=data["id_number"],
                phone=data["phone"],
                address=client_address(request),
            )
        except ApplicationError as exc:
            return _refused(request, "people/claim.html", context, exc)
        request.session["claim_phone"] = mobile(data["phone"])
        messages.info(request, _(SENT))
        return redirect("people:claim_confirm")
    return render(request, "people/claim.html", context)


@require_http_methods(["GET", "POST"])
def claim_confirm(request):
    form = ConfirmForm(
        request.POST or None, initial={"phone": request.session.get("claim_phone", "")}
    )
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = claims.claim_confirm(
                phone=data["phone"],
                code=data["code"],
                password=data["password"],
                address=client_address(request),
            )
        except ApplicationError as exc:
            return _refused(request, "people/claim_confirm.html", context, exc)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Your account is ready and linked to your home."))
        return redirect("registry:home_for_user")
    return render(request, "people/claim_confirm.html", context)


@require_http_methods(["GET", "POST"])
def activate(request):
    """The page the letter's QR code opens; the code is filled in, nothing happens
    until the owner sends the form."""
    form = ActivateForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claims.activation_start(
                code=data["code"], phone=data["phone"], address=client_address(request)
            )
        except ApplicationError as exc:
            return _refused(request, "people/activate.html", context, exc)
        request.session["claim_phone"] = mobile(data["phone"])
        messages.info(
            request,
            _(
                "If the letter's code is valid, an SMS code was sent to your mobile. "
                "It is valid for 10 minutes."
            ),
        )
        return redirect("people:activate_confirm")
    return render(request, "people/activate.html", context)


@require_http_methods(["GET", "POST"])
def activate_confirm(request):
    form = ConfirmForm(
        request.POST or None, initial={"phone": request.session.get("claim_phone", "")}
    )
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = claims.activation_confirm(
                phone=data["phone"],
                code=data["code"],
                password=data["password"],
                address=client_address(request),
            )
        except ApplicationError as exc:
            return _refused(request, "people/activate_confirm.html", context, exc)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Your account is ready and linked to your home."))
        return redirect("registry:home_for_user")
    return render(request, "people/activate_confirm.html", context)


@login_required
@require_http_methods(["GET"])
def in_person(request):
    """Find a unit (a GET: finding changes nothing) and link one of its owners."""
    if not request.user.has_perm("people.link_owner"):
        raise PermissionDenied(
            _("Only residents' committee clerks and sub-district staff link owners.")
        )
    form = FindUnitForm(request.GET or None, compounds=selectors.compounds_managed_by(request.user))
    context: dict = {"form": form}
    if request.GET and form.is_valid():
        data = form.cleaned_data
        unit = claims.unit_at(
            compound=data["compound"], building=data["building"], room=data["room"]
        )
        context["unit"] = unit
        if unit is not None:
            context["owners"] = [
                (
                    owner,
                    claims.linked_user(owner),
                    LinkForm(initial={"owner": owner.pk, "name": owner.name, "phone": owner.phone}),
                )
                for owner in unit.owners.all()
            ]
    return render(request, "people/in_person.html", context)


@login_required
@require_POST
def in_person_link(request, unit_pk: int):
    from gongzhi.registry.models import Unit

    unit = get_object_or_404(Unit.objects.select_related("compound", "building"), pk=unit_pk)
    if not request.user.has_perm("people.link_owner", unit.compound):
        raise PermissionDenied(
            _("You do not act for %(compound)s.") % {"compound": unit.compound.name}
        )
    form = LinkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        owner = get_object_or_404(Owner, pk=data["owner"])
        documents = [key for key in ("id_card", "property_certificate") if data[key]]
        attempt(
            request,
            lambda: claims.owner_link_in_person(
                actor=request.user,
                owner=owner,
                unit=unit,
                phone=data["phone"],
                name=data["name"],
                documents=documents,
                id_number=data["id_number"],
            ),
            _("The owner's account is linked; an SMS invites them to set a password."),
        )
    else:
        messages.error(request, _("Give the owner's mobile number."))
    query = urlencode(
        {
            "compound": str(unit.compound_id),
            "building": unit.building.name if unit.building else "",
            "room": unit.number,
        }
    )
    return redirect(reverse("people:in_person") + "?" + query)


@login_required
@require_http_methods(["GET", "POST"])
def letters(request):
    if not request.user.has_perm("people.link_owner"):
        raise PermissionDenied(
            _("Only residents' committee clerks and sub-district staff print letters.")
        )
    form = LettersForm(request.POST or None, compounds=selectors.compounds_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        compound = form.cleaned_data["compound"]
        if not request.user.has_perm("people.link_owner", compound):
            raise PermissionDenied(
                _("You do not act for %(compound)s.") % {"compound": compound.name}
            )
        job = job_start(
            print_letters,
            title=_("Activation letters for %(compound)s") % {"compound": compound.name},
            actor=request.user,
            compound_id=compound.pk,
            which=form.cleaned_data["which"],
            actor_id=request.user.pk,
        )
        return redirect("core:job", job.pk)
    return render(request, "people/letters.html", {"form": form})
