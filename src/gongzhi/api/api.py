"""The JSON API at /api/, OpenAPI at /api/docs. One router per app."""

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from gongzhi import __version__

from .cases import router as cases_router
from .notices import router as notices_router
from .registry import router as registry_router
from .selection import router as selection_router
from .throttling import AccountThrottle, AnonymousThrottle
from .voting import router as voting_router


class UnicodeJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as written, not as \\u escapes: readable in any client,
    and a text search of a response (for names that must not be there) finds them."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Gongzhi API",
    version=__version__,
    description="Registry, owners' decisions, provider selection, public notices and "
    "consolidation cases of the gongzhi platform. "
    "Every endpoint applies the same permission rules as the pages.",
    urls_namespace="api",
    renderer=UnicodeJSONRenderer(),
    auth=django_auth,
    throttle=[AnonymousThrottle(), AccountThrottle()],
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


api.add_router("/registry/", registry_router)
api.add_router("/voting/", voting_router)
api.add_router("/selection/", selection_router)
api.add_router("/notices/", notices_router)
api.add_router("/cases/", cases_router)
