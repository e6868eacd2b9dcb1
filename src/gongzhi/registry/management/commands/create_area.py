"""`gongzhi create_area`: set up a sub-district and a residents' area from nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongzhi.core.errors import ApplicationError
from gongzhi.registry.services import area_create


class Command(BaseCommand):
    help = (
        "Create the sub-district and the residents' area given, where they do not exist "
        "yet. Running it again changes nothing and says so. Example: gongzhi create_area "
        "--district 长宁区 --sub-district 新华路街道 --area 番禺居民区"
    )

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="区, e.g. 长宁区")
        parser.add_argument("--sub-district", required=True, help="街道, e.g. 新华路街道")
        parser.add_argument("--area", required=True, help="居民区, e.g. 番禺居民区")
        parser.add_argument("--city", default="", help="市, e.g. 上海市 (optional)")

    def handle(self, *args, district, sub_district, area, city, **options):
        try:
            result = area_create(
                district=district, sub_district=sub_district, area=area, city=city, actor=None
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        names = {"sub-district": result.sub_district.name, "area": result.neighbourhood.name}
        if not result.created:
            self.stdout.write(
                _("Nothing to do: %(sub)s and %(area)s exist already.")
                % {"sub": names["sub-district"], "area": names["area"]}
            )
            return
        for what in result.created:
            label = _("sub-district") if what == "sub-district" else _("residents' area")
            self.stdout.write(
                _("Created %(what)s %(name)s.") % {"what": label, "name": names[what]}
            )
        self.stdout.write(
            _("Next: gongzhi grant official --sub-district %(sub)s --phone … --name …")
            % {"sub": result.sub_district.name}
        )
