"""The profile: name and e-mail, the mobile number, the password, the tokens of mobile
clients, the roles one holds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.net import client_address
from gongzhi.core.views import attempt

from . import selectors
from .forms import CodeForm, PasswordChangeForm, PhoneForm, ProfileForm
from .services import people, tokens


@login_required
def profile(request):
    user = request.user
    context = {
        "form": ProfileForm(initial={"display_name": user.display_name, "email": user.email}),
        "phone_form": PhoneForm(),
        "password_form": PasswordChangeForm(),
        "tokens": selectors.tokens_of(user),
        "memberships": selectors.memberships_of(user),
        "pending_phone": request.session.get("new_phone"),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def profile_update(request):
    form = ProfileForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: people.profile_update(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                email=form.cleaned_data["email"],
            ),
            _("Your profile is saved."),
        )
    return redirect("accounts:profile")


@login_required
@require_POST
def phone_change(request):
    form = PhoneForm(request.POST)
    if form.is_valid():
        phone = form.cleaned_data["phone"]
        if attempt(
            request,
            lambda: people.phone_change_request(
                user=request.user, phone=phone, address=client_address(request)
            ),
            _("A code was sent to the new number. Enter it below to confirm."),
        ):
            request.session["new_phone"] = people.mobile(phone)
    return redirect("accounts:profile")


@login_required
@require_POST
def phone_change_confirm(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        if attempt(
            request,
            lambda: people.phone_change_confirm(
                user=request.user,
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                address=client_address(request),
            ),
            _("Your mobile number is changed."),
        ):
            request.session.pop("new_phone", None)
    return redirect("accounts:profile")


@login_required
@require_POST
def password_change(request):
    form = PasswordChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Fill in both passwords."))
        return redirect("accounts:profile")
    if request.user.has_usable_password() and not request.user.check_password(
        form.cleaned_data["old_password"]
    ):
        messages.error(request, _("The current password is wrong."))
        return redirect("accounts:profile")
    try:
        people.password_set(
            user=request.user, password=form.cleaned_data["password"], actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:profile")
    update_session_auth_hash(request, request.user)
    messages.success(request, _("Your password is changed."))
    return redirect("accounts:profile")


@login_required
@require_http_methods(["POST"])
def token_revoke(request, pk: int):
    token = get_object_or_404(selectors.tokens_of(request.user), pk=pk)
    attempt(
        request,
        lambda: tokens.token_revoke(token=token, actor=request.user),
        _("The token is revoked: the app that used it must sign in again."),
    )
    return redirect("accounts:profile")
