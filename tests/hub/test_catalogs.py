"""The gettext catalogs: every marked message extracted, translated into Chinese, and compiled into the .mo shipped."""
import re

import pytest

from hub import catalogs
from hub.i18n import translations
from hub.wall import FAULT_WORDS
from protocol.status import FAULTS

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
CJK_NEXT_TO_ASCII_PUNCTUATION = re.compile(r"[\u4e00-\u9fff][,:;()!?]|[,:;()!?][\u4e00-\u9fff]")


def keys(catalog):
    return {(message.context, message.id) for message in catalog if message.id}


@pytest.fixture(scope="module")
def chinese():
    return catalogs.read(catalogs.po_path("zh_Hans_CN"), "zh_Hans_CN")


def test_the_template_holds_exactly_the_messages_marked_in_the_sources():
    extracted = keys(catalogs.extract())
    assert len(extracted) > 200
    template = keys(catalogs.read(catalogs.TEMPLATE))
    assert (extracted - template, template - extracted) == (set(), set()), "run: python -m hub.catalogs extract"


def test_every_message_has_a_chinese_translation(chinese):
    template = keys(catalogs.read(catalogs.TEMPLATE))
    assert keys(chinese) == template
    untranslated = [(m.context, m.id) for m in chinese if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"messages without a (settled) Chinese translation: {untranslated}"
    assert not chinese.obsolete


def test_translations_keep_the_placeholders_and_full_width_punctuation(chinese):
    assert not [(message.id, errors) for message, errors in chinese.check()]
    dropped = [m.id for m in chinese if m.id and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
    assert not dropped, f"translations that lose or add a placeholder: {dropped}"
    assert len([m for m in chinese if m.id and PLACEHOLDER.search(m.id)]) >= 5
    # Templates format every message (Jinja's newstyle gettext): a lone % would fail the page.
    assert not [m.string for m in chinese if "%" in PLACEHOLDER.sub("", m.string).replace("%%", "")]
    assert not [m.string for m in chinese if m.id and CJK_NEXT_TO_ASCII_PUNCTUATION.search(m.string)]


@pytest.mark.parametrize("locale", catalogs.TRANSLATED)
def test_the_committed_mo_is_the_compiled_po(locale):
    assert catalogs.po_path(locale).with_suffix(".mo").read_bytes() == catalogs.compiled(locale)


def test_the_catalogs_load_without_flask():
    assert translations("zh").gettext("journal nearly full") == "日志将满"
    assert translations("en").gettext("journal nearly full") == "journal nearly full"


def test_every_terminal_fault_has_its_words():
    assert set(FAULTS) == set(FAULT_WORDS)
