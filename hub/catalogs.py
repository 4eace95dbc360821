"""Upkeep of the hub's gettext catalogs (hub/translations) from a checkout: extract, update, compile.

    python -m hub.catalogs extract   # messages.pot from the sources, zh_CN's messages.po updated from it
    python -m hub.catalogs compile   # each messages.po compiled to the messages.mo committed beside it

Extraction follows hub/babel.cfg with the keywords below (``_l`` is lazy_gettext). The .mo files are committed so
a fresh install needs no build step; tests check that they, and messages.pot, are what this module produces.
"""
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .i18n import CATALOGS, DOMAIN, LOCALES

HUB = Path(__file__).resolve().parent
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
TEMPLATE = CATALOGS / f"{DOMAIN}.pot"
TRANSLATED = [locale for locale in LOCALES.values() if locale != "en"]     # English is the msgids


def po_path(locale):
    """The .po file of *locale*."""
    return CATALOGS / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract():
    """Every message marked in the hub's Python and templates, as a catalog template."""
    with open(HUB / "babel.cfg", encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    template = Catalog(project="hallpost", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            HUB, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(path, locale=None):
    """The catalog in the .po/.pot file *path*."""
    with open(path, "rb") as source:
        return read_po(source, locale=locale)


def compiled(locale):
    """The .mo bytes of *locale*'s .po file."""
    buffer = io.BytesIO()
    write_mo(buffer, read(po_path(locale), locale))
    return buffer.getvalue()


def _write_po(path, catalog):
    with open(path, "wb") as out:
        write_po(out, catalog, width=120)


def update():
    """Write messages.pot from the sources and merge it into each translated locale's .po."""
    template = extract()
    _write_po(TEMPLATE, template)
    for locale in TRANSLATED:
        catalog = read(po_path(locale), locale)
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()
        _write_po(po_path(locale), catalog)


def compile_all():
    """Compile each translated locale's .po to the .mo beside it."""
    for locale in TRANSLATED:
        po_path(locale).with_suffix(".mo").write_bytes(compiled(locale))


def main(argv=None):
    """``python -m hub.catalogs extract|compile``."""
    argv = sys.argv[1:] if argv is None else argv
    commands = {"extract": update, "compile": compile_all}
    if len(argv) != 1 or argv[0] not in commands:
        print("usage: python -m hub.catalogs extract|compile", file=sys.stderr)
        return 2
    commands[argv[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
