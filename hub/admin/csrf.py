"""CSRF protection: one random token per session, required on every POST to the admin pages."""
import hmac
import secrets

from flask import abort, request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def csrf_token():
    """The session's CSRF token, created on first use (templates put it in every form)."""
    token = session.get(FIELD)
    if token is None:
        token = session[FIELD] = secrets.token_urlsafe(32)
    return token


def check_csrf():
    """Refuse (400) a POST whose form field or header does not carry the session's token."""
    if request.method != "POST":
        return
    expected = session.get(FIELD)
    given = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not expected or not hmac.compare_digest(expected, given):
        abort(400, description="CSRF token missing or wrong")
