"""The Chinese catalogue is complete, compiled, and covers every string in the code."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(PO))
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(entry):
        if entry.msgctxt:
            return compiled.pgettext(entry.msgctxt, entry.msgid)
        return compiled.gettext(entry.msgid)

    stale = [e.msgid for e in po if not e.msgid_plural and compiled_text(e) != e.msgstr]
    assert stale == [], "run `make messages` to recompile the catalogue"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) not installed")
def test_catalogue_covers_every_translatable_string(tmp_path):
    copy = tmp_path / "gongzhi"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "demo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "gongzhi.settings", "PATH": "/usr/bin:/bin"},
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO))}
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new strings"
