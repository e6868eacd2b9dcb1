"""Sign-in with a rate limit on failures, and sign-out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _

from gongzhi.core import ratelimit
from gongzhi.core.audit import EventType, audit_log

SCOPE_USERNAME = "login-user"
SCOPE_ADDRESS = "login-addr"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class RateLimitedLoginView(auth_views.LoginView):
    """Refuses further attempts after too many failures per user name or per address."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        limits = settings.LOGIN_RATE_LIMIT
        username = (request.POST.get("username") or "").strip().lower()
        address = client_address(request)
        if ratelimit.is_limited(
            SCOPE_USERNAME, username, limit=limits["per_username"]
        ) or ratelimit.is_limited(SCOPE_ADDRESS, address, limit=limits["per_address"]):
            minutes = limits["window_seconds"] // 60
            lockout = _("Too many failed sign-ins. Try again in %(minutes)d minutes.") % {
                "minutes": minutes
            }
            context = self.get_context_data(form=AuthenticationForm(request), lockout=lockout)
            response = self.render_to_response(context)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        limits = settings.LOGIN_RATE_LIMIT
        username = (self.request.POST.get("username") or "").strip().lower()
        window = limits["window_seconds"]
        count = ratelimit.record_attempt(SCOPE_USERNAME, username, window_seconds=window)
        ratelimit.record_attempt(SCOPE_ADDRESS, client_address(self.request), window_seconds=window)
        if count == limits["per_username"]:
            audit_log(
                event_type=EventType.SIGN_IN_LOCKED,
                actor=None,
                new={"username": username, "address": client_address(self.request)},
            )
        return super().form_invalid(form)

    def form_valid(self, form):
        username = (self.request.POST.get("username") or "").strip().lower()
        ratelimit.reset(SCOPE_USERNAME, username)
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    pass
