"""Small helpers the pages of every app share."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes | str, filename: str, content_type: str, *, inline: bool = False):
    """A generated file (PDF, workbook, CSV, calendar, ZIP) as a response the browser
    saves under ``filename``, or shows when ``inline``."""
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(not inline, filename)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def too_many(request, refusal: ApplicationError):
    """429 with the refusal's reason and, where known, when to try again."""
    retry_after = int(getattr(refusal, "retry_after", 0) or 0)
    response = render(
        request,
        "429.html",
        {"reason": refusal.message, "minutes": max(1, -(-retry_after // 60)) if retry_after else 0},
        status=429,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def bad_request(request, exception=None):
    """400, except for an upload refused on its way in: 413 with the limit."""
    from .uploads import UploadTooLarge

    if isinstance(exception, UploadTooLarge):
        megabytes = exception.limit // (1024 * 1024)
        return render(
            request,
            "413.html",
            {"reason": _("The file is larger than %(mb)d MB.") % {"mb": megabytes}},
            status=413,
        )
    return render(request, "400.html", status=400)
