"""Log in and out, and the interface language (the pages open to everyone)."""
from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import passwords
from . import sessions, throttle
from .blueprint import bp
from .context import audit, hall, store
from .extensions import limiter

BUSY_RETRY_S = 1


def _safe_next(target):
    return target if target and target.startswith("/admin") and not target.startswith("//") else None


def _login_rate():
    return current_app.config["ADMIN_LOGIN_RATE"]


def _login_page():
    """The login form under the hall's name."""
    return render_template("admin/login.html", hall_name=hall().name)


def _refused(message, status, **headers):
    flash(message)
    return _login_page(), status, headers


def landing(user):
    """Where a user lands after logging in: the audit log for an auditor, the big screen for a display account,
    the live wall for the others."""
    if user["role"] == "display":
        return url_for("admin.wall", screen=1)
    return url_for("admin.audit_log" if user["role"] == "auditor" else "admin.wall")


@bp.route("/login", methods=("GET", "POST"))
@limiter.limit(_login_rate, methods=["POST"])
def login():
    """Log in with a user name and password; failures are throttled per account and address, and audited."""
    if request.method == "GET":
        return _login_page()
    username, password = request.form.get("username", ""), request.form.get("password", "")
    minutes = throttle.locked_minutes(username)
    if minutes:
        return _refused(_("Too many failed logins; try again in %(minutes)s min", minutes=minutes), 429,
                        **{"Retry-After": str(minutes * 60)})
    user = store().users.by_name(username)
    try:
        matches = passwords.verify(None if user is None else user["password_hash"], password)
    except passwords.HashingBusy:
        return _refused(_("The hub is busy; please try again in a moment"), 503, **{"Retry-After": str(BUSY_RETRY_S)})
    if not matches or not user["active"]:
        throttle.failed(username, "unknown user" if user is None else "wrong password" if not matches else "disabled")
        return _refused(_("Wrong user name or password"), 401)
    throttle.succeeded(username)
    sessions.start(user)
    store().audit.add(user["username"], "login", {"address": request.remote_addr}, hall=user["hall"])
    return redirect(_safe_next(request.args.get("next")) or landing(user))


@bp.route("/logout", methods=("POST",))
def logout():
    """Log out: every session of this user ends (a copied cookie stops working too)."""
    store().accounts.end_sessions(g.user["id"])
    audit("logout", {}, hall=g.user["hall"])
    sessions.end()
    return redirect(url_for("admin.login"))


@bp.route("/language/<lang>", methods=("POST",))
def language(lang):
    """Switch the interface language (zh or en) for this session."""
    if lang not in ("zh", "en"):
        abort(404)
    session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")) or url_for("admin.wall"))
