import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once for a module of tests that only read it.

    Seeding takes seconds; a module's read-only tests share one seed inside a
    transaction that is rolled back after the module's last test (each test runs in
    a savepoint of it, as usual), so nothing reaches any other module's tests. Its
    files live in a folder of the module's own, which its tests see as MEDIA_ROOT.
    """
    media = tmp_path_factory.mktemp("demo-media")
    outbox = tmp_path_factory.mktemp("demo-outbox")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media, OUTBOX_DIR=outbox, SMS_BACKEND="file", PASSWORD_HASHERS=FAST_HASHERS
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", "--quiet-logins")
            yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _seeded_media(request, settings):
    """Tests on the shared seed read its files where it wrote them."""
    if "seeded_demo" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("seeded_demo")
