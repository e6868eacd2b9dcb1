"""Shared pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing strength is Django's business; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files (evidence, scans) go to a throwaway folder, never into ./var."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _outbox(settings, tmp_path):
    """SMS and e-mail written by the file backends go to a throwaway outbox."""
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.SMS_BACKEND = "file"


@pytest.fixture
def english():
    """Messages in English, for tests that assert on the English source text."""
    from django.utils import translation

    with translation.override("en"):
        yield


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, headless.

    Without Chromium the browser tests are skipped loudly, unless
    GONGZHI_REQUIRE_BROWSER=1 (set by .ci/run), where its absence fails.
    """
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        message = f"{CHROMIUM} is missing: install Debian's chromium to run browser tests"
        if os.environ.get("GONGZHI_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls
    # made by the test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser context (no cookies) with a desktop viewport."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium):
    """A fresh browser context the size of a phone."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
