from django.conf import settings


def site(request):
    """Values every template needs: the site name and whether it is in debug mode."""
    return {"site_name": "共治 Gongzhi", "debug": settings.DEBUG}
