"""The Flask extensions of the admin pages: Flask-Login (the session's user), Flask-WTF (CSRF), Flask-Limiter,
Flask-Babel (the interface language).

Flask-Limiter caps the rate of login attempts per client address in this process's memory: its storages
(Redis, Memcached, MongoDB) are servers a hall's hub does not run, and none is SQL. The throttling that must
hold across every hub process, per account and per address with backoff and lockout, lives in the
database (:mod:`hub.store.accounts`, SQLite or PostgreSQL), so several processes on one PostgreSQL loosen
only this coarse cap (N processes: N times the rate), never the lockouts that bound guessing: five
failures lock an account, twenty an address, counted over every process
(tests/hub/admin/test_throttle.py, both backends).
"""
from datetime import timedelta

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from .. import passwords
from ..clock import utc_now
from .blueprint import bp
from .i18n import init_babel

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(get_remote_address, storage_uri="memory://")
# Blueprints Flask-Limiter never looks at: the terminal API's requests are signed by enrolled terminals, their nonces
# kept, and a hall's terminals often share one address behind its router. (Skipped here, not by ``limiter.exempt``,
# which still resolves limits on every request: 8% of the hub's time serving a one-fact push.)
UNLIMITED_BLUEPRINTS = frozenset({"api"})


@limiter.request_filter
def _unlimited():
    """Is the request to a blueprint the rate limits never apply to?"""
    return request.blueprint in UNLIMITED_BLUEPRINTS

# The app's config may override these. Session lifetimes and login lockouts are measured by ADMIN_CLOCK, the
# real clock: they concern people at screens, while the hub's CLOCK may be a hall simulation running faster.
# CSRF tokens live as long as the session (which has its own limits); the admin pages check CSRF themselves,
# so the signed terminal API is not asked for a token.
DEFAULTS = {
    "ADMIN_CLOCK": utc_now,
    "ADMIN_SESSION_IDLE_MINUTES": 30,
    "ADMIN_SESSION_MAX_HOURS": 12,
    "ADMIN_DISPLAY_IDLE_HOURS": 72,
    "ADMIN_DISPLAY_MAX_DAYS": 30,
    "ADMIN_LOGIN_RATE": "30 per minute",
    "ADMIN_DERIVE_BUDGET_S": 1.5,       # how long a page derives window-days itself (hub.admin.context.fresh)
    "WTF_CSRF_CHECK_DEFAULT": False,
    "WTF_CSRF_TIME_LIMIT": None,
}


@bp.record_once
def init_extensions(state):
    """Set the admin's config defaults and attach the extensions to the app."""
    config = state.app.config
    for name, value in DEFAULTS.items():
        config.setdefault(name, value)
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=config["ADMIN_SESSION_MAX_HOURS"])
    if config.get("SESSION_COOKIE_SAMESITE") is None:
        config["SESSION_COOKIE_SAMESITE"] = "Lax"
    csrf.init_app(state.app)
    login_manager.init_app(state.app)
    limiter.init_app(state.app)
    init_babel(state.app)
    passwords.dummy_hash()


def security_now():
    """The time that session lifetimes and login lockouts are measured by (``ADMIN_CLOCK``, aware UTC)."""
    return current_app.config["ADMIN_CLOCK"]()
