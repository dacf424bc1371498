"""Fill the zh-Hans catalogue from tools/translations_zh/ and compile the .mo file.

Run after `pharos makemessages -l zh_Hans` (from src/pharos): every message must have a
translation, or this exits with the list of the missing ones. Pure Python (polib), so
no gettext tools are needed to build.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from translations_zh import ZH_HANS

CATALOGUE = Path(__file__).resolve().parents[1] / "src/pharos/locale/zh_Hans/LC_MESSAGES"


def main() -> int:
    po = polib.pofile(str(CATALOGUE / "django.po"))
    for entry in po.obsolete_entries():
        po.remove(entry)
    missing = []
    for entry in po:
        translation = ZH_HANS.get(entry.msgid)
        if translation is None:
            missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            forms = translation if isinstance(translation, list) else [translation]
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = translation if isinstance(translation, str) else translation[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    if missing:
        print("No Chinese for:", *missing, sep="\n  ")
        return 1
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    po.save_as_mofile(str(CATALOGUE / "django.mo"))
    print(f"{len(po)} messages translated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
