"""Shared pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing strength is Django's business; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
