"""The hub's interface languages and their gettext catalogs (hub/translations), usable without Flask.

The messages are written in English (the msgids); zh_CN, the default interface, translates them all, and English
needs no catalog of its own: a msgid is its English text. Babel names zh_CN by its CLDR identifier zh_Hans_CN
(Simplified Chinese in mainland China; ``Locale.parse("zh_CN")`` gives it), so that is the catalog's directory.
"""
import functools
from pathlib import Path

from babel.support import Translations

CATALOGS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"
LOCALES = {"zh": "zh_Hans_CN", "en": "en"}     # the language switch's values and the Babel locale of each
DEFAULT_LANGUAGE = "zh"


def N_(message):
    """Mark *message* for extraction without translating it (it is translated where it is shown)."""
    return message


@functools.cache
def translations(language):
    """The gettext catalog of *language* (a key of LOCALES); English is the msgids themselves."""
    return Translations.load(str(CATALOGS), [LOCALES[language]], DOMAIN)
