"""Who may reach what: every admin page needs a logged-in user (CSRF checked on every POST); roles and scope.

Roles: the office (协调股) sets up and acts for the hall; a department viewer and a window group leader see
their department; an auditor reads the audit log and nothing else, and changes nothing but their password;
a display account (the hall's big screen) sees the big-screen wall and nothing else, and changes nothing.
Each user is of one hall or of the center (every hall): :mod:`.halls` resolves the request's hall.
"""
import functools

from flask import abort, flash, g, redirect, request, url_for
from flask_login import current_user
from flask_babel import gettext as _

from . import halls, sessions
from .blueprint import bp
from .extensions import csrf

ROLES = ("office", "viewer", "leader", "auditor", "display")
# R9: the approver tier each role may sign for (the office records the higher tiers' paper approvals).
TIERS = {"office": ("office", "deputy_director", "department_head", "director"), "leader": ("leader",),
         "viewer": (), "auditor": (), "display": ()}
PUBLIC = {"admin.login", "admin.language"}
AUDITOR_PAGES = {"admin.index", "admin.audit_log", "admin.account", "admin.change_password", "admin.logout", "admin.language"}
# The only pages of the roles kept to a few (any other answers 403): a display reads the wall, no form at all.
ROLE_PAGES = {"auditor": AUDITOR_PAGES, "display": {"admin.index", "admin.wall", "admin.wall_json",
                                                    "admin.wall_events_stream"}}


@bp.before_request
def require_user():
    """Check CSRF, end expired sessions, and require a logged-in user; an auditor's or a display's request for
    another page than theirs is refused first (403, whatever it carries)."""
    pages = ROLE_PAGES.get(current_user["role"]) if current_user.is_authenticated else None
    if pages is not None and request.endpoint not in pages:
        abort(403)
    if request.method == "POST":
        csrf.protect()
    if sessions.expired():
        sessions.end()
        flash(_("Your session expired; please log in again"))
    g.user = current_user._get_current_object() if current_user.is_authenticated else None
    if g.user is None:
        if request.endpoint in PUBLIC:
            return None
        if request.path.endswith(".json") or request.path.endswith(".csv"):
            abort(401)
        return redirect(url_for("admin.login", next=request.full_path))
    halls.resolve()
    sessions.touch()
    return None


def roles(*allowed):
    """Decorate a view so that only users with one of the *allowed* roles reach it (others get 403)."""
    def wrap(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.user["role"] not in allowed:
                abort(403)
            return view(**kwargs)
        return wrapped
    return wrap


def window_scope(user):
    """The department whose windows *user* may see, or None for every window (the office, no department)."""
    return None if user["role"] == "office" or not user["department"] else user["department"]


def windows_in_scope(config, scope):
    """The windows of *config* in *scope* (a department, or None for all), in config order."""
    return [w for w in config.windows if scope is None or w.department == scope]


def visible_windows(config):
    """The windows the current user may see: all for the office, their department's for the others."""
    return windows_in_scope(config, window_scope(g.user))


def visible_clerks(config):
    """The clerks of the windows the current user may see (A and B posts), in config order."""
    ids = {c for w in visible_windows(config) for c in (w.a, w.b)}
    if g.user["role"] == "office":
        ids |= set(config.clerks)
    return [c for c in config.clerks.values() if c.id in ids]


def require_window(config, window_id):
    """The window *window_id* if the current user may see it; 404 when unknown, 403 when not theirs."""
    window = config.window(window_id)
    if window is None:
        abort(404)
    if window not in visible_windows(config):
        abort(403)
    return window


def require_clerk(config, clerk_id):
    """The clerk *clerk_id* if the current user may see them; 404 when unknown, 403 when not theirs."""
    if clerk_id not in config.clerks:
        abort(404)
    clerk = config.clerks[clerk_id]
    if clerk not in visible_clerks(config):
        abort(403)
    return clerk
