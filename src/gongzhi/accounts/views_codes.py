"""Signing in with an SMS code, resetting a password with one, and accepting an
invitation. Every step answers the same whether the number has an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongzhi.core.errors import ApplicationError, RateLimited
from gongzhi.core.net import client_address
from gongzhi.core.views import too_many

from .forms import CodeForm, CodePasswordForm, PasswordForm, PhoneForm
from .services import people

BACKEND = "gongzhi.accounts.backends.PhoneOrUsernameBackend"


def _refused(request, template, context, exc: ApplicationError):
    if isinstance(exc, RateLimited):
        return too_many(request, exc)
    context["refusal"] = exc.message
    return render(request, template, context, status=400)


@require_http_methods(["GET", "POST"])
def code_sign_in(request):
    """Step 1: the mobile number; a code goes to it if an account has it."""
    form = PhoneForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            people.sign_in_code_request(phone=phone, address=client_address(request))
        except ApplicationError as exc:
            return _refused(request, "accounts/code_sign_in.html", context, exc)
        request.session["code_phone"] = people.mobile(phone)
        messages.info(
            request,
            _(
                "If an account has this mobile number, a code was sent to it. "
                "It is valid for 10 minutes."
            ),
        )
        return redirect("accounts:code_sign_in_confirm")
    return render(request, "accounts/code_sign_in.html", context)


@require_http_methods(["GET", "POST"])
def code_sign_in_confirm(request):
    """Step 2: the code; signs in."""
    form = CodeForm(request.POST or None, initial={"phone": request.session.get("code_phone", "")})
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            user = people.sign_in_with_code(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                address=client_address(request),
            )
        except ApplicationError as exc:
            return _refused(request, "accounts/code_sign_in_confirm.html", context, exc)
        login(request, user, backend=BACKEND)
        return redirect("registry:home_for_user")
    return render(request, "accounts/code_sign_in_confirm.html", context)


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Step 1 of a reset: the mobile number on the account."""
    form = PhoneForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            people.password_reset_request(phone=phone, address=client_address(request))
        except ApplicationError as exc:
            return _refused(request, "accounts/password_reset.html", context, exc)
        request.session["code_phone"] = people.mobile(phone)
        messages.info(
            request,
            _(
                "If an account has this mobile number, a code was sent to it. "
                "It is valid for 10 minutes."
            ),
        )
        return redirect("accounts:password_reset_confirm")
    return render(request, "accounts/password_reset.html", context)


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request):
    """Step 2: the code and the new password; signs in."""
    form = CodePasswordForm(
        request.POST or None, initial={"phone": request.session.get("code_phone", "")}
    )
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            user = people.password_reset_confirm(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
                address=client_address(request),
            )
        except ApplicationError as exc:
            return _refused(request, "accounts/password_reset_confirm.html", context, exc)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Your new password is set."))
        return redirect("registry:home_for_user")
    return render(request, "accounts/password_reset_confirm.html", context)


@require_http_methods(["GET", "POST"])
def welcome(request, uidb64: str, token: str):
    """An invitation: the person sets a password and is signed in. Opening the link
    changes nothing."""
    try:
        invited = people.invited_user(uidb64, token)
    except ApplicationError as exc:
        return render(request, "accounts/welcome.html", {"refusal": exc.message}, status=400)
    form = PasswordForm(request.POST or None)
    context = {"form": form, "invited": invited}
    if request.method == "POST" and form.is_valid():
        try:
            user = people.invitation_accept(
                uidb64=uidb64, token=token, password=form.cleaned_data["password"]
            )
        except ApplicationError as exc:
            return _refused(request, "accounts/welcome.html", context, exc)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Welcome. Your password is set."))
        return redirect("registry:home_for_user")
    return render(request, "accounts/welcome.html", context)
