"""Fill empty msgstr entries of a .po file from a Python dict of translations.

Usage: python scripts/fill_po.py TRANSLATIONS.py path/to/django.po
The translations file defines ZH (msgid -> msgstr) and PLURALS (msgid -> [forms]).
Entries already translated in the .po are left alone; the names of msgids still
empty are printed.
"""

import runpy
import sys

import polib


def main() -> int:
    table = runpy.run_path(sys.argv[1])
    po = polib.pofile(sys.argv[2])
    missing = []
    singular, plural = table.get("ZH", {}), table.get("PLURALS", {})
    for entry in po:
        # A fuzzy entry is makemessages' guess from a similar old msgid: replace it.
        fuzzy = "fuzzy" in entry.flags
        if entry.msgid_plural:
            if (fuzzy or not any(entry.msgstr_plural.values())) and entry.msgid in plural:
                for index, form in enumerate(plural[entry.msgid]):
                    entry.msgstr_plural[index] = form
                if fuzzy:
                    entry.flags.remove("fuzzy")
        elif (fuzzy or not entry.msgstr) and entry.msgid in singular:
            entry.msgstr = singular[entry.msgid]
            if fuzzy:
                entry.flags.remove("fuzzy")
        if "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())):
            missing.append(entry.msgid)
    po.metadata_is_fuzzy = False
    po.metadata["Project-Id-Version"] = "gongzhi"
    po.metadata["Language"] = "zh_Hans"
    po.header = "Chinese (Simplified) translation of gongzhi."
    po.save()
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
