from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "gongzhi.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from gongzhi.registry.models import SubDistrict

        from .services.routing import categories_ensure

        def starting_categories(sender, instance, created, raw=False, **kwargs):
            """A new sub-district starts with the default request categories."""
            if created and not raw:
                categories_ensure(instance)

        post_save.connect(
            starting_categories,
            sender=SubDistrict,
            weak=False,  # a local function: keep it alive
            dispatch_uid="servicedesk-categories",
        )
