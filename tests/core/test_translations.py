"""Every message users see exists in Simplified Chinese, and the compiled catalogue
Django reads is the one in the source."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.test import Client

CATALOGUE = Path(__file__).resolve().parents[2] / "src/pharos/locale/zh_Hans/LC_MESSAGES"


def test_every_message_has_a_chinese_translation() -> None:
    untranslated = [entry.msgid for entry in polib.pofile(str(CATALOGUE / "django.po"))
                    if not entry.translated()]  # fmt: skip
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source() -> None:
    source = {
        e.msgid: (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(CATALOGUE / "django.po"))
    }
    compiled = {
        e.msgid: (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(CATALOGUE / "django.mo"))
    }
    compiled.pop("", None)
    assert compiled == source, "run `make translations`"


@pytest.mark.django_db
def test_chinese_pages_speak_chinese() -> None:
    page = Client().get("/zh-hans/").content.decode()
    for text in ("有什么可以帮您？", "按分类浏览", "热门问题", "联系客服", "登录"):
        assert text in page
    missing = Client().get("/zh-hans/nowhere/").content.decode()
    assert "找不到该页面" in missing
