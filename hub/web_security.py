"""What every response of the hub carries for the browser, and how it reads the reverse proxy in front.

Security headers go on every answer (the admin pages are the ones that matter: no framing, no sniffing,
no inline script, no referrer leaking a page's query, never cached). The session cookie is HttpOnly,
SameSite=Lax, and Secure whenever the request came over HTTPS (directly or through a trusted proxy).
Proxy headers (X-Forwarded-For/-Proto/-Host/-Port) are believed only when ``TRUSTED_PROXIES`` says how
many proxies stand in front; otherwise anyone could claim any address or scheme.
"""
from datetime import datetime, timedelta, timezone

from flask import request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CACHED_ENDPOINTS = {"static", "public.ratings"}   # style sheets, wall.js and the public ratings; nothing else


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, marked Secure on every request that arrived over HTTPS."""

    def get_cookie_secure(self, app):
        """Secure when configured so, or when this request came over HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    def get_expiration_time(self, app, session):
        """The cookie's expiry: a display account's (role kept in its session) lives ``ADMIN_DISPLAY_MAX_DAYS``,
        every other session's the office's lifetime (``PERMANENT_SESSION_LIFETIME``)."""
        expires = super().get_expiration_time(app, session)
        if expires is not None and session.get("role") == "display":
            return datetime.now(timezone.utc) + timedelta(days=app.config["ADMIN_DISPLAY_MAX_DAYS"])
        return expires


def add_headers(response):
    """Put the security headers on *response*; ``no-store`` on everything but static files."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in CACHED_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app):
    """Install the headers, the cookie policy and, when ``TRUSTED_PROXIES`` > 0, werkzeug's ProxyFix."""
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.session_interface = SessionCookies()
    app.after_request(add_headers)
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
        raise ValueError(f"TRUSTED_PROXIES: must be a whole number of proxies (0 or more), got {hops!r}")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
