from gongzhi.registry.models import SubDistrict


def demo(request):
    """Whether the page shows the demo's banner: to the demo's personas, and to
    everyone while the demo is the only data there is. A real office that set itself
    up beside the demo, or removed it, sees no banner."""
    demo_exists = SubDistrict.objects.filter(is_demo=True).exists()
    if not demo_exists:
        return {"demo_data_present": False}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"demo_data_present": bool(getattr(user, "is_demo", False))}
    real_exists = SubDistrict.objects.filter(is_demo=False).exists()
    return {"demo_data_present": not real_exists}
