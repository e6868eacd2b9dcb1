from django.conf import settings


def site(request):
    """Values every template needs: the site name and whether demo data is shown."""
    from gongzhi.registry.selectors import demo_data_present

    return {
        "site_name": "共治 Gongzhi",
        "demo_data_present": demo_data_present(),
        "debug": settings.DEBUG,
    }
