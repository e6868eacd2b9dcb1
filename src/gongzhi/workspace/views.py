"""Landing where the work is: one page per person, from their roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gongzhi.accounts.scopes import scopes_for

from . import selectors


@login_required
def home(request):
    """The signed-in person's page: each role they hold adds its part; nobody lands on
    an empty page (a person without a role is shown how to claim their home)."""
    user = request.user
    scopes = scopes_for(user)
    context: dict = {"scopes": scopes}
    if scopes.is_staff_anywhere:
        context["queue"] = selectors.work_queue(user)
    if scopes.owners:
        context["desk"] = selectors.owner_desk(user)
    elif not scopes.is_staff_anywhere:
        context["messages_unread"] = selectors.owner_desk(user).messages
    if scopes.expert:
        context["panels"] = selectors.panels_of(user)
    if scopes.companies:
        context["company"] = selectors.company_desk(user)
    context["business"] = selectors.business_desk(user)
    context["no_role"] = not (
        context["business"] is not None
        or scopes.is_staff_anywhere
        or scopes.owners
        or scopes.expert
        or scopes.companies
        or scopes.committee_compounds
    )
    return render(request, "workspace/home.html", context)
