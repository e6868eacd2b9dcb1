"""What every router answers with when it refuses: one error schema, one handler each.

Endpoints call services and raise; they do not catch. ``ApplicationError`` (the
service refused), ``PermissionDenied`` (a rule refused), ``Http404``, a failed sign-in
(401), invalid input (422) and a rate limit (429) all become ``{"detail": …}`` here,
in the reader's language — with ``errors`` listing the fields for invalid input.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from gongzhi.core.errors import ApplicationError, PermissionRefused, RateLimited


class ErrorOut(Schema):
    """Every refusal of the API: why, in words, and for invalid input which fields."""

    detail: str
    errors: list[dict[str, Any]] | None = None


# Kept for the routers' response declarations ({403: Refusal}).
Refusal = ErrorOut


def status_of(exc: ApplicationError) -> int:
    """429 over a rate limit, 403 when the user may not do it, 400 when the input is
    wrong."""
    if isinstance(exc, RateLimited):
        return 429
    return 403 if isinstance(exc, PermissionRefused) else 400


def install_handlers(api) -> None:
    """The API's exception handlers, in one place."""

    @api.exception_handler(ApplicationError)
    def refused(request, exc: ApplicationError):
        response = api.create_response(request, {"detail": exc.message}, status=status_of(exc))
        if isinstance(exc, RateLimited) and exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(PermissionDenied)
    def denied(request, exc: PermissionDenied):
        return api.create_response(
            request, {"detail": str(exc) or _("You may not do this.")}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        return api.create_response(request, {"detail": _("Sign in first.")}, status=401)

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        response = api.create_response(
            request, {"detail": _("Too many requests; please try again later.")}, status=429
        )
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        errors = [
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors
        ]
        return api.create_response(
            request,
            {"detail": _("Some of what was sent is not valid."), "errors": errors},
            status=422,
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Make the OpenAPI document say every response an operation can give.

    Derived from how the API works, so it cannot drift: every operation is rate
    limited (429); one that needs a signed-in caller answers 401 without one; one with
    path parameters answers 404 for an unknown object; one with any input answers 422
    for input that does not fit its declared types; one taking text (a string
    parameter or a body) answers 400 for text carrying a NUL character, which
    ``core.middleware.RefuseNullCharactersMiddleware`` refuses before any endpoint
    runs. Other 400s and 403 are declared by the endpoints that can give them. All with
    the one error schema.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    reference = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    }
    words = {
        400: "The request was refused; detail says why and nothing was changed.",
        401: "Sign in first.",
        403: "You may not do this; detail says why.",
        404: "Not found.",
        422: "Some of what was sent is not valid; errors lists the fields.",
        429: "Too many requests; try again after Retry-After seconds.",
    }
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            codes = {429}
            if operation.get("security"):
                codes.add(401)
            if any(p.get("in") == "path" for p in parameters):
                codes.add(404)
            if parameters or operation.get("requestBody"):
                codes.add(422)
            if operation.get("requestBody") or any(
                p.get("schema", {}).get("type") == "string" for p in parameters
            ):
                codes.add(400)
            # ninja keys responses by int; the document is JSON, where keys are text
            responses = {str(code): value for code, value in operation["responses"].items()}
            for code in sorted(codes | {int(c) for c in responses if c in {"400", "403"}}):
                responses[str(code)] = {"description": words[code], **reference}
            operation["responses"] = dict(sorted(responses.items()))
    return schema
