from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
