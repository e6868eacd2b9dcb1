"""Every sub-district that exists before the service desk gets the default categories
(new ones get them when they are created)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from gongzhi.servicedesk.categories import DEFAULTS

    SubDistrict = apps.get_model("registry", "SubDistrict")
    Category = apps.get_model("servicedesk", "Category")
    for sub_district in SubDistrict.objects.all():
        if Category.objects.filter(sub_district=sub_district).exists():
            continue
        Category.objects.bulk_create(
            [
                Category(
                    sub_district=sub_district,
                    code=code,
                    name=name,
                    party=party,
                    asset_kind=asset,
                    position=position,
                )
                for position, (code, name, party, asset) in enumerate(DEFAULTS)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0001_initial"),
        ("registry", "0006_building_latitude_building_longitude_and_more"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
