"""`gongzhi open311_key`: a key for an integrator's Open311 client."""

from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.errors import ApplicationError
from gongzhi.registry.models import SubDistrict
from gongzhi.servicedesk.models import Open311Key
from gongzhi.servicedesk.open311 import key_issue, key_revoke


class Command(BaseCommand):
    help = (
        "Issue an Open311 api_key for an integrator, scoped to a sub-district (--sub-district, "
        "needed when there are several). The key is printed once, as the last word of the "
        "output, and only its hash is kept. --revoke PREFIX revokes a key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", help="the integrator, e.g. 市民热线对接")
        parser.add_argument("--sub-district", help="the sub-district the key posts to")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the key starting so")

    def handle(self, *args, name=None, sub_district=None, revoke=None, **options):
        if revoke:
            keys = Open311Key.objects.filter(
                prefix__startswith=revoke[:10], revoked_at__isnull=True
            )
            if keys.count() != 1:
                raise CommandError(f"No single active key starts with {revoke}.")
            key = key_revoke(key=keys.get())
            self.stdout.write(f"Revoked {key.name}.")
            return
        if not name:
            raise CommandError("Give --name.")
        found = SubDistrict.objects.all()
        if sub_district:
            found = found.filter(name=sub_district)
        if found.count() != 1:
            raise CommandError(
                "Name the sub-district with --sub-district."
                if found.count()
                else "No such sub-district."
            )
        try:
            _key, raw = key_issue(name=name, sub_district=found.get())
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Open311 key for {name} ({found.get().name}), shown once: {raw}")
