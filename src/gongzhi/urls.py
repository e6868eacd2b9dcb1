from django.contrib import admin
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from gongzhi.core.params import IdConverter

register_converter(IdConverter, "id")  # before the apps' URLconfs are included

from gongzhi.api.api import api  # noqa: E402
from gongzhi.core.views_jobs import healthz  # noqa: E402
from gongzhi.registry.views import public_home  # noqa: E402

admin.site.site_header = _("Gongzhi back office")
admin.site.site_title = _("Gongzhi")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("", public_home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("gongzhi.core.urls")),
    path("accounts/", include("gongzhi.accounts.urls")),
    path("inbox/", include("gongzhi.notifications.urls")),
    path("registry/", include("gongzhi.registry.urls")),
    path("voting/", include("gongzhi.voting.urls")),
    path("selection/", include("gongzhi.selection.urls")),
    path("notices/", include("gongzhi.notices.urls")),
    path("cases/", include("gongzhi.cases.urls")),
    path("people/", include("gongzhi.people.urls")),
    path("me/", include("gongzhi.workspace.urls")),
    path("requests/", include("gongzhi.servicedesk.urls")),
    path("projects/", include("gongzhi.projects.urls")),
    path("foundation/", include("gongzhi.foundation.urls")),
    path("merchants/", include("gongzhi.merchants.urls")),
    path("partners/", include("gongzhi.partners.urls")),
    path("open311/v2/", include("gongzhi.servicedesk.open311_urls")),
    # The back office signs in through the same rate-limited sign-in page.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "gongzhi.core.views.bad_request"
