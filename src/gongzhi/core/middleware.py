import json

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware:
    """Speak zh-Hans unless the visitor switched language (the language cookie).

    Django's own LocaleMiddleware follows the browser's Accept-Language, which would
    greet most phones with English; here the platform's language is the default and
    English is a choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.available:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    No script runs but our own files (there is no inline script anywhere; the
    countdown is ``static/gongzhi/countdown.js``), no style but our stylesheet, no
    frame, plugin or foreign form target. A view may set its own policy first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


def _null_characters(request) -> list[list[str]]:
    """Where the request carries a NUL character: the path, a query or form field (name
    or value), or a string anywhere in a JSON body. Each as a location list."""
    found: list[list[str]] = []
    if "\x00" in request.path:
        found.append(["path"])
    sources = [("query", request.GET)]
    if request.method == "POST" and request.content_type != "application/json":
        sources.append(("form", request.POST))
    for where, data in sources:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                found.append([where, key.replace("\x00", "")])
    if request.content_type == "application/json" and request.body:
        try:
            document = json.loads(request.body)
        except ValueError:
            return found  # the API says the body is not JSON
        found.extend(["body", *path] for path in _null_paths(document, []))
    return found


def _null_paths(value, path: list[str]):
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield [*path, key.replace("\x00", "")]
            else:
                yield from _null_paths(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _null_paths(item, [*path, str(index)])


class RefuseNullCharactersMiddleware:
    """Refuse any request carrying a NUL character, before a view sees it.

    No text anyone types contains one, and PostgreSQL cannot store it (the write would
    fail as a server error half-way through a view). Checked in ``process_view``, after
    CSRF has read the form, so upload limits chosen by the view still apply. Both the
    API (in its error schema, naming the fields) and the pages answer 400: the input
    fits the declared types, it is the text that is refused.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        found = _null_characters(request)
        if not found:
            return None
        message = _("The request contains a NUL character, which no text may contain.")
        if request.path.startswith("/api/"):
            errors = [{"loc": loc, "msg": message, "type": "null_character"} for loc in found]
            return JsonResponse(
                {"detail": _("Some of what was sent is not valid."), "errors": errors},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        if request.path.startswith("/open311/"):
            # the error format of the Open311 GeoReport v2 specification
            return JsonResponse(
                [{"code": 400, "description": message}],
                status=400,
                safe=False,
                json_dumps_params={"ensure_ascii": False},
            )
        return render(request, "400.html", {"reason": message}, status=400)
