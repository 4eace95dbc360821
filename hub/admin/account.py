"""Passwords: a user changes their own; the office resets another's (both end the account's other sessions)."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import passwords
from . import sessions, throttle
from .auth import roles
from .blueprint import bp
from .context import audit, store
from .halls import managed_users
from .terms import WEAK_PASSWORDS


def _new_password(username):
    """The form's new password if it is repeated alike and meets the policy, else None (with a message)."""
    new = request.form.get("new_password", "")
    if new != request.form.get("repeat_password", ""):
        flash(_("The two new passwords differ"))
        return None
    try:
        passwords.check_policy(new, username)
    except passwords.WeakPassword as weak:
        flash(_(WEAK_PASSWORDS[weak.key], limit=weak.limit))
        return None
    return new


@bp.route("/account")
def account():
    """The user's own account: the password change form."""
    return render_template("admin/account.html")


@bp.route("/account/password", methods=("POST",))
def change_password():
    """Change one's own password (the current one is checked and throttled like a login)."""
    username = g.user["username"]
    minutes = throttle.locked_minutes(username)
    if minutes:
        flash(_("Too many failed logins; try again in %(minutes)s min", minutes=minutes))
        return render_template("admin/account.html"), 429
    try:
        matches = passwords.verify(g.user["password_hash"], request.form.get("current_password", ""))
    except passwords.HashingBusy:
        flash(_("The hub is busy; please try again in a moment"))
        return render_template("admin/account.html"), 503
    if not matches:
        throttle.failed(username, "wrong current password")
        flash(_("The current password is wrong"))
        return render_template("admin/account.html"), 403
    new = _new_password(username)
    if new is None:
        return render_template("admin/account.html"), 400
    store().accounts.set_password_hash(g.user["id"], passwords.hash_password(new))
    audit("change password", {}, hall=g.user["hall"])
    sessions.start(store().users.by_id(g.user["id"]))
    flash(_("Password changed; your other sessions were ended"))
    return redirect(url_for("admin.account"))


@bp.route("/setup/user/<int:user_id>/password", methods=("POST",))
@roles("office")
def reset_password(user_id):
    """Set another user's password (the office's reset); their sessions end and their lockout is lifted."""
    if user_id == g.user["id"]:
        abort(400, description="user: change your own password on the account page")
    user = next((u for u in managed_users() if u["id"] == user_id), None)
    if user is None:
        abort(404)
    new = _new_password(user["username"])
    if new is not None:
        store().accounts.set_password_hash(user_id, passwords.hash_password(new))
        store().accounts.clear_failures("account", user["username"][:throttle.NAME_LENGTH])
        audit("reset password", {"user": user["username"]}, hall=user["hall"])
        flash(_("%(key)s: %(value)s", key=_("Password reset; that account's sessions were ended"),
                value=user["username"]))
    return redirect(url_for("admin.setup"))
