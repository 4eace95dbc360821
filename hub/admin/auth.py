"""Log in and out, idle-expiring sessions, roles and what each role may see."""
import functools
from datetime import datetime, timedelta

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash

from ..store import office
from .blueprint import bp
from .context import now, store
from .csrf import check_csrf
from .i18n import t

ROLES = ("office", "viewer", "leader")
# R9: the approver tier each role may sign for (the office records the higher tiers' paper approvals).
TIERS = {"office": ("office", "deputy_director", "department_head", "director"), "leader": ("leader",),
         "viewer": ()}
PUBLIC = {"admin.login", "admin.language"}
IDLE_LIMIT = timedelta(hours=8)
FLASK_DEFAULT_LIFETIME = timedelta(days=31)


@bp.record_once
def session_settings(state):
    """Sessions expire after 8 h idle (unless the app chose its own lifetime); cookies stay same-site."""
    config = state.app.config
    if config["PERMANENT_SESSION_LIFETIME"] == FLASK_DEFAULT_LIFETIME:
        config["PERMANENT_SESSION_LIFETIME"] = IDLE_LIMIT
    if config.get("SESSION_COOKIE_SAMESITE") is None:
        config["SESSION_COOKIE_SAMESITE"] = "Lax"


@bp.before_request
def load_user():
    """Check CSRF, expire idle sessions and require a logged-in user on every admin page."""
    check_csrf()
    g.user = None
    user_id, seen = session.get("user_id"), session.get("seen")
    if user_id is not None:
        if seen is None or now() - datetime.fromisoformat(seen) > current_app.permanent_session_lifetime:
            session.pop("user_id", None)
            flash(t("session_expired"))
        else:
            g.user = office.user_by_id(store(), user_id)
            session["seen"] = now().isoformat()
    if g.user is None and request.endpoint not in PUBLIC:
        if request.path.endswith(".json") or request.path.endswith(".csv"):
            abort(401)
        return redirect(url_for("admin.login", next=request.full_path))
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


def visible_windows(config):
    """The windows the current user may see: all for the office, their department's for the others."""
    department = g.user["department"]
    if g.user["role"] == "office" or not department:
        return list(config.windows)
    return [w for w in config.windows if w.department == department]


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


def _safe_next(target):
    return target if target and target.startswith("/admin") and not target.startswith("//") else None


@bp.route("/login", methods=("GET", "POST"))
def login():
    """Log in with a user name and password (werkzeug hash)."""
    if request.method == "POST":
        user = office.user_by_name(store(), request.form.get("username", ""))
        if user is None or not user["active"] or not check_password_hash(user["password_hash"],
                                                                         request.form.get("password", "")):
            flash(t("login_failed"))
            return render_template("admin/login.html"), 401
        language = session.get("lang")
        session.clear()
        session.permanent = True
        session.update(user_id=user["id"], seen=now().isoformat())
        if language:
            session["lang"] = language
        store().audit(user["username"], "login", {})
        return redirect(_safe_next(request.args.get("next")) or url_for("admin.wall"))
    return render_template("admin/login.html")


@bp.route("/logout", methods=("POST",))
def logout():
    """Log out and forget the session."""
    store().audit(g.user["username"], "logout", {})
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    return redirect(url_for("admin.login"))


@bp.route("/language/<lang>", methods=("POST",))
def language(lang):
    """Switch the interface language (zh or en) for this session."""
    if lang not in ("zh", "en"):
        abort(404)
    session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")) or url_for("admin.wall"))
