import os

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_database_follows_database_url():
    """`make test` runs this suite twice; this proves which server each run used."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_outside_tests(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    import sqlite3

    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = dict(settings.DATABASES["default"]["OPTIONS"])
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "x.db")})
    wrapper.settings_dict["OPTIONS"] = options
    wrapper.connect()
    mode = wrapper.connection.execute("PRAGMA journal_mode").fetchone()[0]
    wrapper.close()
    assert mode == "wal"
    assert sqlite3.sqlite_version_info >= (3, 35)  # RETURNING, for bulk_create ids


def test_chinese_is_the_default_language():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
