"""Pages render for the right people, in Chinese by default, without personal data in public."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.registry.models import Unit

pytestmark = pytest.mark.django_db

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def test_public_home_shows_aggregates_and_no_personal_data(world, client):
    page = client.get("/").content.decode()
    assert "A小区" in page and "一街道" in page
    for name in ["张三", "李四", "王五"]:
        assert name not in page
    assert not PHONE.search(page)
    assert not ID_NUMBER.search(page)


def test_chinese_by_default_even_for_an_english_browser(world, client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录" in page


def test_english_on_switch(world, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page


def test_compound_page_shows_the_legal_totals(world, client_for):
    page = client_for("clerk").get(f"/registry/compounds/{world.compounds['A'].pk}/")
    html = page.content.decode()
    assert 'data-testid="total-area">130.00<' in html
    assert 'data-testid="total-heads">2<' in html


def test_committee_member_sees_masked_phones_on_the_building_roll(world, client_for):
    html = (
        client_for("committee")
        .get(f"/registry/buildings/{world.buildings['A1'].pk}/")
        .content.decode()
    )
    assert "张三" in html
    assert "13812345678" not in html and "138****5678" in html


def test_owner_home_lists_own_units(world, client_for):
    client = client_for("owner")
    assert client.get("/registry/").url == "/me/"  # where the work is
    html = client.get("/registry/my-units/").content.decode()
    assert "1-101" in html and "1-102" not in html


def test_templates_escape_data(world, client_for):
    unit = world.units["a1"]
    owner = unit.owners.get()
    owner.name = "<script>alert(1)</script>"
    owner.save()
    html = client_for("clerk").get(f"/registry/units/{unit.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


class TestImportPage:
    def test_valid_upload_reports_counts(self, world, client_for):
        client = client_for("clerk")
        upload = SimpleUploadedFile(
            "roll.csv", "compound,unit,area,owners\nA小区,9-901,88.50,O-9\n".encode("gbk")
        )
        response = client.post(
            "/registry/import/", {"neighbourhood": world.neighbourhoods["n1"].pk, "file": upload}
        )
        assert response.status_code == 200
        assert 'data-testid="import-report"' in response.content.decode()
        assert Unit.objects.filter(number="9-901", compound=world.compounds["A"]).exists()

    def test_bad_upload_lists_rows_and_writes_nothing(self, world, client_for):
        client = client_for("clerk")
        before = Unit.objects.count()
        upload = SimpleUploadedFile(
            "roll.csv", b"compound,unit,area,owners\nA\xe5\xb0\x8f\xe5\x8c\xba,9-901,-1,O-9\n"
        )
        response = client.post(
            "/registry/import/", {"neighbourhood": world.neighbourhoods["n1"].pk, "file": upload}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "第 2 行，area 列 “-1”：面积必须大于零" in html
        assert Unit.objects.count() == before

    def test_csrf_is_enforced(self, world):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users["clerk"])
        upload = SimpleUploadedFile("roll.csv", b"compound,unit,area,owners\nX,1,60,O-1\n")
        response = client.post(
            "/registry/import/", {"neighbourhood": world.neighbourhoods["n1"].pk, "file": upload}
        )
        assert response.status_code == 403
        assert not Unit.objects.filter(compound__name="X").exists()


def test_stylesheet_is_found_by_the_static_files_finders():
    from django.contrib.staticfiles import finders

    assert finders.find("gongzhi/gongzhi.css")
    assert finders.find("ninja/swagger-ui-bundle.js")
