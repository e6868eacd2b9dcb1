"""The JSON API at /api/, OpenAPI at /api/docs. One router per app."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from gongzhi import __version__

from .accounts import router as accounts_router
from .auth import API_AUTH
from .cases import router as cases_router
from .common import declare_errors, install_handlers
from .foundation import router as foundation_router
from .merchants import certificates_router, merchants_router
from .notices import router as notices_router
from .registry import router as registry_router
from .selection import router as selection_router
from .throttling import AccountThrottle, AnonymousThrottle
from .voting import router as voting_router


class UnicodeJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as written, not as \\u escapes: readable in any client,
    and a text search of a response (for names that must not be there) finds them."""

    json_dumps_params = {"ensure_ascii": False}


class GongzhiAPI(NinjaAPI):
    """The API whose OpenAPI document declares every error an operation can give."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return declare_errors(schema)


api = GongzhiAPI(
    title="Gongzhi API",
    version=__version__,
    description="Accounts, registry, owners' decisions, provider selection, public notices "
    "and consolidation cases of the gongzhi platform. Every endpoint applies the same "
    "permission rules as the pages. Sign in with the browser's session, or with "
    "`Authorization: Bearer <token>` from POST /api/accounts/token.",
    urls_namespace="api",
    renderer=UnicodeJSONRenderer(),
    auth=API_AUTH,
    throttle=[AnonymousThrottle(), AccountThrottle()],
)

install_handlers(api)


api.add_router("/accounts/", accounts_router)
api.add_router("/registry/", registry_router)
api.add_router("/voting/", voting_router)
api.add_router("/selection/", selection_router)
api.add_router("/notices/", notices_router)
api.add_router("/cases/", cases_router)
api.add_router("/foundation/", foundation_router)
api.add_router("/certificates/", certificates_router)
api.add_router("/merchants/", merchants_router)
