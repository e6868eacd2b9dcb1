"""Refusing to run in production on development keys (fail closed).

With DEBUG off, the secret key, the key of the ID-number hash and the key of the
decisions' hash chains must each come from the environment, be long, and differ
from the development key that is public in this repository. Otherwise the WSGI
application refuses to load (so gunicorn, ``gongzhi serve`` and ``runserver`` do not
start) and ``gongzhi check --deploy`` fails, each naming the variable.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PRODUCTION_KEYS = ("GONGZHI_SECRET_KEY", "GONGZHI_ID_HASH_KEY", "GONGZHI_LEDGER_KEY")
MIN_KEY_LENGTH = 32


def key_problems() -> list[str]:
    """What is wrong with the production keys, one sentence per variable."""
    if settings.DEBUG:
        return []
    problems = []
    for name in PRODUCTION_KEYS:
        value = os.environ.get(name, "")
        if not value:
            problems.append(f"{name} is not set; with DEBUG off the server needs its own key.")
        elif len(value) < MIN_KEY_LENGTH:
            problems.append(f"{name} is shorter than {MIN_KEY_LENGTH} characters.")
        elif settings.DEVELOPMENT_SECRET_KEY in value:
            problems.append(f"{name} is the public development key.")
    values = [os.environ.get(name, "") for name in PRODUCTION_KEYS]
    if all(values) and len(set(values)) < len(values):
        problems.append(
            "GONGZHI_SECRET_KEY, GONGZHI_ID_HASH_KEY and GONGZHI_LEDGER_KEY must differ."
        )
    return problems


@checks.register(checks.Tags.security, deploy=True)
def production_keys(app_configs, **kwargs):
    return [checks.Error(problem, id="gongzhi.E001") for problem in key_problems()]


def require_production_keys() -> None:
    """Raise ImproperlyConfigured when the keys are not fit for production."""
    problems = key_problems()
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
