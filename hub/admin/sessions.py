"""Office sessions: the logged-in user (Flask-Login), idle and absolute lifetimes, server-side revocation.

The session carries the user's id and *session version*; a session whose version is no longer the user's
(moved on by logout, disable or a password change) loads no user, so a copied cookie stops working. A
session ends after ``ADMIN_SESSION_IDLE_MINUTES`` without activity and ``ADMIN_SESSION_MAX_HOURS`` after
login, whatever the activity (by the real clock, ``ADMIN_CLOCK``, not a simulation's hub time). The live wall's
once-a-second poll (``wall.json``) and its event streams' reconnects (wall/events, center/events) are not
activity: a wall left open on an unattended screen logs out when the idle time runs out (the page then shows
the login).

A display account's session (the hall's big screen, which reads the wall and nothing else) is meant to run for
days on a TV: its poll is activity, it ends after ``ADMIN_DISPLAY_IDLE_HOURS`` without a request (the screen or
its browser switched off: 72 h outlasts a weekend) and ``ADMIN_DISPLAY_MAX_DAYS`` after login (30: someone logs
the screen in once a month). Disabling the account or resetting its password ends it at once, as for anyone.
"""
from datetime import datetime, timedelta

from flask import current_app, request, session
from flask_login import UserMixin, login_user, logout_user

from .context import store
from .extensions import login_manager, security_now

POLLS = {"admin.wall_json", "admin.wall_events_stream", "admin.center_events"}


class SessionUser(dict, UserMixin):
    """An office user row (a dict, as views and templates read it) that Flask-Login can hold."""

    def get_id(self):
        """The id Flask-Login keeps in the session: user id and session version."""
        return f"{self['id']}:{self['session_version']}"


@login_manager.user_loader
def load_user(session_id):
    """The active user of a session id whose session version is still the user's, else None."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit():
        return None
    row = store().users.by_id(int(user_id))
    if row is None or str(row["session_version"]) != version:
        return None
    return SessionUser(row)


def start(user):
    """Begin a fresh session for *user* (a row): a new session, keeping only the interface language."""
    language = session.get("lang")
    session.clear()
    session.permanent = True
    login_user(SessionUser(user))
    session["since"] = session["seen"] = security_now().isoformat()
    session["role"] = user["role"]
    if language:
        session["lang"] = language


def end():
    """End this browser's session (the caller moves the user's session version on)."""
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def expired():
    """Whether this session holds a user and has outlived its idle or absolute lifetime."""
    if "_user_id" not in session:
        return False
    since, seen = session.get("since"), session.get("seen")
    if since is None or seen is None:
        return True
    idle, longest = lifetimes()
    moment = security_now()
    return moment - datetime.fromisoformat(seen) > idle or moment - datetime.fromisoformat(since) > longest


def ends_at():
    """When this session runs out if nothing more is done in it (its idle or absolute lifetime, the earlier)."""
    idle, longest = lifetimes()
    return min(datetime.fromisoformat(session["seen"]) + idle, datetime.fromisoformat(session["since"]) + longest)


def running_out():
    """For a long response (a wall's event stream): a callable, true once this session's time has run out."""
    ends, clock = ends_at(), current_app.config["ADMIN_CLOCK"]
    return lambda: clock() >= ends


def _display():
    return session.get("role") == "display"


def lifetimes():
    """This session's idle and absolute lifetimes: a display account's own, else the office's."""
    config = current_app.config
    if _display():
        return timedelta(hours=config["ADMIN_DISPLAY_IDLE_HOURS"]), timedelta(days=config["ADMIN_DISPLAY_MAX_DAYS"])
    return timedelta(minutes=config["ADMIN_SESSION_IDLE_MINUTES"]), timedelta(hours=config["ADMIN_SESSION_MAX_HOURS"])


def touch():
    """Count this request as the user's activity (a wall poll is not, but for a display account)."""
    if request.endpoint not in POLLS or _display():
        session["seen"] = security_now().isoformat()
