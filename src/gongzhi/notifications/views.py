"""The inbox and the message preferences."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongzhi.core.views import attempt

from . import selectors, services
from .models import Kind


@login_required
@require_GET
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def open_message(request, pk: int):
    """Mark a message read and follow its link (a POST: reading changes its state)."""
    notification = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.notification_read(notification=notification, user=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    services.notifications_read_all(user=request.user)
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    if request.method == "POST":
        choices = {
            kind.value: (
                request.POST.get(f"{kind.value}-sms") == "on",
                request.POST.get(f"{kind.value}-email") == "on",
            )
            for kind in Kind
        }
        if attempt(
            request,
            lambda: services.preferences_set(user=request.user, choices=choices),
            _("Your choices are saved."),
        ):
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"rows": selectors.preferences(request.user)},
    )
