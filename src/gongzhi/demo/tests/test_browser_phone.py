"""Every page a visitor reaches without signing in, in a real Chromium the size of a
phone: none scrolls sideways (wide tables scroll inside themselves), and none breaks
the Content-Security-Policy (no inline script or style anywhere)."""

from collections import deque
from urllib.parse import urljoin, urlparse

import pytest

from gongzhi.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP = ("/accounts/", "/admin/", "/i18n/", "/api/", "/static/", "/media/")
FILES = (".pdf", ".xlsx", ".ics", ".csv", ".zip", ".svg")
PHONE = 390


def test_no_public_page_scrolls_sideways_on_a_phone(live_server, phone_page):
    seed_demo()
    page = phone_page
    seen, queue, visited, wide = {"/"}, deque(["/"]), [], {}
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append((page.url, message.text))
            if "Content Security Policy" in message.text
            else None
        ),
    )
    while queue:
        path = queue.popleft()
        response = page.goto(live_server.url + path)
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            # a photo opened on its own is shown by the browser's image viewer, whose
            # own inline styles are not ours to judge
            violations[:] = [v for v in violations if v[0] != page.url]
            continue
        visited.append(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide[path] = width
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            url = urlparse(urljoin(path, href))
            if url.netloc or url.path.startswith(SKIP) or url.path.endswith(FILES):
                continue
            if url.path not in seen:
                seen.add(url.path)
                queue.append(url.path)
    assert len(visited) > 25, visited
    assert any("/results/" in p for p in visited)  # the widest tables
    assert wide == {}
    assert violations == []
