"""Translation helpers that work without Django settings.

Pure modules (roll validation, the tally, spreadsheet reading) mark their messages
with ``gettext_noop`` from here: the name is what ``makemessages`` extracts, and
importing it needs no configured Django. Code outside Django (the standalone
``gongzhi tally``) translates with ``translator()``, which reads the same compiled
catalogue Django uses.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LANGUAGE = "zh-hans"


def gettext_noop(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


def translator(language: str | None = None) -> Callable[[str], str]:
    """gettext for ``language`` (default: GONGZHI_LANGUAGE, else zh-hans)."""
    language = (language or os.environ.get("GONGZHI_LANGUAGE") or DEFAULT_LANGUAGE).lower()
    if language.startswith("en"):
        return str
    catalogue = gettext.translation(
        "django", localedir=LOCALE_DIR, languages=["zh_Hans"], fallback=True
    )
    return catalogue.gettext
