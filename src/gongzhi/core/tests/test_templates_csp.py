"""The Content-Security-Policy allows no inline script or style: no template may
carry one, and every response carries the policy."""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
TEMPLATES = [p for p in PACKAGE.rglob("templates/**/*.html")]


def test_templates_exist():
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_inline_script_style_or_handler(path):
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", text)
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"<style", text)
    assert not re.search(r"\son[a-z]+=", text)


@pytest.mark.django_db
def test_every_response_carries_the_policies(client):
    for url in ("/", "/notices/", "/api/docs", "/no-such-page/"):
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]
