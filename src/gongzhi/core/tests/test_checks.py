"""Fail closed: no production server on the public development keys (#10 finding 9)."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from gongzhi.core.checks import PRODUCTION_KEYS, key_problems

GOOD = {name: f"{name.lower()}-" + "k" * 40 for name in PRODUCTION_KEYS}


@pytest.fixture
def production(settings, monkeypatch):
    settings.DEBUG = False
    for name in PRODUCTION_KEYS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_every_missing_key_is_named(production):
    problems = key_problems()
    for name in PRODUCTION_KEYS:
        assert any(name in problem for problem in problems)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("short", "shorter than 32"),
        ("gongzhi-development-key-not-for-production" + "x" * 10, "public development key"),
    ],
)
def test_weak_keys_are_refused(production, value, words):
    for name, good in GOOD.items():
        production.setenv(name, good)
    production.setenv("GONGZHI_LEDGER_KEY", value)
    assert [p for p in key_problems() if "GONGZHI_LEDGER_KEY" in p and words in p]


def test_one_key_for_everything_is_refused(production):
    for name in PRODUCTION_KEYS:
        production.setenv(name, "s" * 40)
    assert any("must differ" in p for p in key_problems())


def test_good_keys_pass_and_debug_needs_none(production, settings):
    for name, good in GOOD.items():
        production.setenv(name, good)
    assert key_problems() == []
    settings.DEBUG = True
    for name in PRODUCTION_KEYS:
        production.delenv(name)
    assert key_problems() == []


def test_check_deploy_fails_naming_the_variable(production):
    with pytest.raises(SystemCheckError, match="GONGZHI_SECRET_KEY is not set"):
        call_command("check", deploy=True)


def _load_wsgi(env):
    clean = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION_KEYS and k != "GONGZHI_DEBUG"
    }
    return subprocess.run(
        [sys.executable, "-c", "import gongzhi.wsgi"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_wsgi_application_refuses_to_load_without_keys():
    refused = _load_wsgi({})
    assert refused.returncode != 0
    assert "GONGZHI_ID_HASH_KEY is not set" in refused.stderr
    assert _load_wsgi(GOOD).returncode == 0
    assert _load_wsgi({"GONGZHI_DEBUG": "1"}).returncode == 0
