"""End to end in a real Chromium: a clerk signs in and reads a compound's legal totals."""

import pytest

from gongzhi.demo.builder import DEMO_PASSWORD
from gongzhi.demo.seed import seed_demo
from gongzhi.registry.models import Compound
from gongzhi.registry.selectors import compound_totals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")


def test_clerk_sees_the_legal_totals_of_shuixia(live_server, page):
    seed_demo()
    shuixia = Compound.objects.get(name="水霞小区")
    expected = compound_totals(compounds=[shuixia]).compounds[shuixia.pk]

    sign_in(page, live_server, "clerk")
    # An English browser still gets Chinese: the platform's language is the default.
    page.wait_for_url(f"{live_server.url}/me/")  # the clerk lands on the work queue
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_test_id("work-queue").is_visible()
    page.locator("header nav").get_by_role("link", name="小区", exact=True).click()
    page.wait_for_url(f"{live_server.url}/registry/compounds/")
    assert page.get_by_role("heading", name="小区").is_visible()
    page.get_by_role("link", name="水霞小区").click()

    totals = page.get_by_test_id("legal-totals")
    totals.wait_for()
    assert "专有部分总面积" in totals.inner_text()
    assert page.get_by_test_id("total-area").inner_text() == f"{expected.area:,.2f}"
    assert page.get_by_test_id("total-heads").inner_text() == str(expected.heads)
    assert page.get_by_test_id("total-units").inner_text() == str(expected.units)
    assert expected.heads < expected.units  # the demo exercises the counting rules

    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Total exclusive area" in page.get_by_test_id("legal-totals").inner_text()


def test_owner_on_a_phone_is_refused_a_neighbours_unit(live_server, phone_page):
    seed_demo()
    sign_in(phone_page, live_server, "owner")
    phone_page.wait_for_url(f"{live_server.url}/me/")  # the owner lands on the open vote
    assert phone_page.get_by_test_id("open-vote").is_visible()
    phone_page.goto(f"{live_server.url}/registry/my-units/")
    links = phone_page.locator("ul.unit-list a[href*='/registry/units/']")
    assert links.count() == 2
    own = links.first.get_attribute("href")
    neighbour_id = int(own.rstrip("/").rsplit("/", 1)[1]) + 1
    phone_page.goto(f"{live_server.url}/registry/units/{neighbour_id}/")
    assert phone_page.get_by_test_id("refusal").inner_text() == "这不是您的房屋。"
