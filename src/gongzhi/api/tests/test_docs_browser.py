"""The OpenAPI documentation renders from local files under the site's CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_without_policy_violations(live_server, page):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() > 10
    assert violations == []
