"""The back office shows staff only their own territory."""

import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_official(world):
    official = world.users["official"]
    official.is_staff = True
    official.save()
    official.user_permissions.set(
        Permission.objects.filter(content_type__app_label="registry", codename__startswith="view_")
    )
    return official


def test_official_sees_only_compounds_of_their_sub_district(client, world, staff_official):
    client.force_login(staff_official)
    html = client.get("/admin/registry/compound/").content.decode()
    for name in ["A小区", "B小区", "C小区"]:
        assert name in html
    assert "D小区" not in html
    other = world.compounds["D"]
    assert client.get(f"/admin/registry/compound/{other.pk}/change/").status_code in (302, 404)


def test_official_cannot_see_owners_of_another_sub_district(client, world, staff_official):
    client.force_login(staff_official)
    html = client.get("/admin/registry/owner/").content.decode()
    assert "张三" in html and "赵六" not in html


def test_users_and_audit_log_only_for_superusers(client, world, staff_official):
    client.force_login(staff_official)
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/core/auditevent/").status_code == 403
    client.force_login(world.users["superuser"])
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/core/auditevent/").status_code == 200


def test_admin_speaks_chinese(client, world, staff_official):
    client.force_login(staff_official)
    html = client.get("/admin/").content.decode()
    assert "房屋与业主登记" in html and "小区" in html
