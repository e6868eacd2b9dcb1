"""Sign-in with a password (rate limits counted before the password is checked) and sign-out;
the pages around accounts are in views_codes.py and views_profile.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gongzhi.core import ratelimit
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.net import client_address

from .backends import login_key
from .services.people import SCOPE_LOGIN_ADDRESS as SCOPE_ADDRESS
from .services.people import SCOPE_LOGIN_NAME as SCOPE_USERNAME


class RateLimitedLoginView(auth_views.LoginView):
    """Counts every attempt per user name and per address before checking the password.

    Over either limit the attempt is refused without looking at the password; a
    successful sign-in gives back its attempt (and clears the name's counter).
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        # The back office sends everyone it refuses here; a signed-in person who is
        # not staff would be sent back and forth forever. Say no, and where to go.
        if (
            request.user.is_authenticated
            and not request.user.is_staff
            and self.get_redirect_url().startswith("/admin")
        ):
            raise PermissionDenied(_("The back office is for the platform's administrators only."))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        limits = settings.LOGIN_RATE_LIMIT
        self.username = login_key(request.POST.get("username") or "")
        self.address = client_address(request)
        options = {
            "window": limits["window_seconds"],
            "max_block": limits.get("max_block_seconds"),
        }
        by_name = ratelimit.hit(
            SCOPE_USERNAME, self.username, limit=limits["per_username"], **options
        )
        by_address = (
            ratelimit.hit(SCOPE_ADDRESS, self.address, limit=limits["per_address"], **options)
            if by_name.allowed
            else by_name
        )
        if by_name.blocked_now:
            audit_log(
                event_type=EventType.SIGN_IN_LOCKED,
                actor=None,
                new={"username": self.username, "address": self.address},
            )
        refused = by_address if by_name.allowed else by_name
        if not refused.allowed:
            if by_name.allowed:
                ratelimit.refund(SCOPE_USERNAME, self.username)  # not this name's fault
            lockout = _("Too many failed sign-ins. Try again in %(minutes)d minutes.") % {
                "minutes": refused.retry_minutes
            }
            context = self.get_context_data(form=AuthenticationForm(request), lockout=lockout)
            response = self.render_to_response(context)
            response.status_code = 429
            response["Retry-After"] = str(refused.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        ratelimit.reset(SCOPE_USERNAME, self.username)
        ratelimit.refund(SCOPE_ADDRESS, self.address)
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    pass
