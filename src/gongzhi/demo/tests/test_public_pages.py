"""Every page a visitor can reach without signing in, crawled over the demo: no ID
number and no mobile number appears unmasked, in HTML, in the printable PDFs or in the
public JSON API."""

import io
import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from gongzhi.core.masking import personal_numbers

pytestmark = pytest.mark.django_db

SKIP = ("/accounts/", "/admin/", "/i18n/", "/api/", "/static/", "/media/")
LINK = re.compile(r'href="([^"#]+)"')


def crawl(client, start="/", limit=400):
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(pages) < limit:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200:
            continue
        kind = response["Content-Type"]
        if kind.startswith("application/pdf"):
            reader = PdfReader(io.BytesIO(response.content))
            pages[path] = "".join(page.extract_text() for page in reader.pages)
            continue
        if not kind.startswith("text/html"):
            continue
        html = response.content.decode()
        pages[path] = html
        for href in LINK.findall(html):
            url = urlparse(urljoin(path, href.replace("&amp;", "&")))
            if url.netloc or url.path.startswith(SKIP) or url.path in seen:
                continue
            seen.add(url.path)
            queue.append(url.path)
    return pages


def public_api(client) -> dict[str, str]:
    """Every anonymous GET of the API, lists and each object they name."""
    lists = {
        "/api/notices/current": "/api/notices/{id}",
        "/api/cases/": "/api/cases/{id}/milestones",
        "/api/selection/plans": "/api/selection/plans/{id}",
        "/api/selection/contracts": "/api/selection/contracts/{id}",
        "/api/voting/decisions": "/api/voting/decisions/{id}/result",
    }
    texts = {}
    for listing, detail in lists.items():
        response = client.get(listing)
        assert response.status_code == 200, listing
        texts[listing] = response.content.decode()
        for row in response.json():
            path = detail.format(id=row["id"])
            response = client.get(path)
            if response.status_code == 200:
                texts[path] = response.content.decode()
    for listing in ("/api/foundation/funds", "/api/merchants/", "/api/certificates/"):
        response = client.get(listing)
        assert response.status_code == 200, listing
        texts[listing] = response.content.decode()
    for entry in client.get("/api/merchants/").json():
        path = f"/api/certificates/{entry['certificate']['number']}"
        texts[path] = client.get(path).content.decode()
    for plan in client.get("/api/selection/plans").json():
        if plan["ranking"]:
            texts[plan["ranking"]] = client.get(plan["ranking"]).content.decode()
    return texts


def test_no_public_page_shows_an_id_or_mobile_number(client):
    call_command("seed_demo", quiet_logins=True)
    pages = crawl(client)
    api = public_api(client)
    assert any(p.endswith("/ranking") for p in api) and any("/notices/" in p for p in api)
    pages.update(api)
    assert len(pages) > 30, sorted(pages)
    # The crawl reached notices (HTML and PDF), the case milestones and vote results.
    assert any(p.startswith("/notices/") and p.endswith(".pdf") for p in pages)
    # ... and the street's business services: the directory, a certificate with its
    # PDF, a fund's disclosure, an agreement's public part and an event.
    for prefix, suffix in (
        ("/merchants/certificates/", ".pdf"),
        ("/foundation/funds/", "/"),
        ("/foundation/receipts/", "/"),
        ("/partners/agreements/", "/"),
        ("/partners/events/", "/"),
    ):
        assert any(p.startswith(prefix) and p.endswith(suffix) for p in pages), prefix
    assert any(p.startswith("/cases/") and p.endswith("/public/") for p in pages)
    assert any("/results/" in p for p in pages)
    leaks = {
        path: sorted(set(personal_numbers(text, markup=not path.endswith(".pdf"))))
        for path, text in pages.items()
    }
    assert {path: found for path, found in leaks.items() if found} == {}
    # And the masking was put to work: the demo notice gave a mobile number.
    assert any("139****5678" in text for text in pages.values())
