"""Small helpers the pages of every app share."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages

from .errors import ApplicationError


def attempt(request, action: Callable[[], object], success: str) -> bool:
    """Run a service call; show its refusal, or ``success``, as a message.

    The services refuse with an ``ApplicationError`` whose message says why and
    change nothing; a page shows that message and stays where it is.
    """
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
