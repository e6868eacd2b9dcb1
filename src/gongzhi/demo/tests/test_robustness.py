"""No request answers 500: every page each demo persona reaches, asked again with
hostile query parameters and with ids too large for any database (the review found
``/voting/1/register/?compound=99999999999999999999999`` and
``/cases/meetings/new/?case=abc`` answering 500)."""

import re
from collections import deque
from urllib.parse import urlencode, urljoin, urlparse

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from gongzhi.accounts.models import User
from gongzhi.demo.seed import seed_demo

pytestmark = pytest.mark.django_db

SKIP = ("/accounts/logout", "/admin/", "/i18n/", "/static/", "/media/")
LINK = re.compile(r'href="([^"#]+)"')
# Every query parameter a view reads, with values that are not what it expects.
PARAMETERS = [
    "compound", "building", "case", "page", "receipt", "confirm", "option", "status",
    "q", "category", "sub_district", "merchant",
]  # fmt: skip
HOSTILE = ["abc", "99999999999999999999999", "-1", "%00' OR 1=1 --", "x" * 500]
PERSONAS = [
    None, "owner", "clerk", "committee", "provider", "expert",
    "economic", "foundation", "district", "merchant",
]  # fmt: skip
HUGE = "999999999999999999"  # 18 digits: a valid-looking id no table has


def _view(path):
    try:
        return resolve(urlparse(path).path).view_name
    except Resolver404:
        return None


def _crawl(client, limit):
    """One page of each kind (view) the client can reach, and what answered 500."""
    seen, queue, pages, errors, kinds = {"/"}, deque(["/"]), [], [], set()
    while queue and len(pages) < limit:
        path = queue.popleft()
        kind = _view(path)
        if kind in kinds:
            continue
        kinds.add(kind)
        response = client.get(path)
        if response.status_code >= 500:
            errors.append((path, response.status_code))
            continue
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        pages.append(path)
        for href in LINK.findall(response.content.decode()):
            url = urlparse(urljoin(path, href.replace("&amp;", "&")))
            if url.netloc or url.path.startswith(SKIP):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return pages, errors


def test_no_page_answers_500_whatever_it_is_asked():
    seed_demo()
    errors, visited = [], 0
    for username in PERSONAS:
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(User.objects.get(username=username))
        pages, found = _crawl(client, limit=150)
        errors += found
        visited += len(pages)
        for path in pages:
            base = urlparse(path).path
            for value in HOSTILE:
                query = urlencode(dict.fromkeys(PARAMETERS, value))
                response = client.get(f"{base}?{query}")
                if response.status_code >= 500:
                    errors.append((f"{base}?{query}", response.status_code))
            huge = re.sub(r"/\d+/", f"/{HUGE}/", base, count=1)
            if huge != base and client.get(huge).status_code >= 500:
                errors.append((huge, 500))
    assert visited > 120, visited  # kinds of page, over all personas
    assert errors == []
    # paths with ids of 19 digits and more are simply not URLs here
    assert Client().get("/voting/99999999999999999999999/").status_code == 404
