"""The admin pages' language through Flask-Babel: chosen by the header's 中文/English switch (kept in the session)."""
from flask import request, session
from flask_babel import Babel

from ..i18n import CATALOGS, DEFAULT_LANGUAGE, DOMAIN, LOCALES

babel = Babel()


def current_language():
    """The session's interface language ("zh", the default, or "en"); a public page's ``?lang=`` (it has no
    session)."""
    language = request.args.get("lang") if request.blueprint == "public" else session.get("lang")
    return language if language in LOCALES else DEFAULT_LANGUAGE


def select_locale():
    """Flask-Babel's locale selector: the Babel locale of the session's language."""
    return LOCALES[current_language()]


def init_babel(app):
    """Attach Flask-Babel to *app* with the hub's catalogs, zh_CN by default."""
    babel.init_app(app, default_locale=LOCALES[DEFAULT_LANGUAGE], default_domain=DOMAIN,
                   default_translation_directories=str(CATALOGS), locale_selector=select_locale)
