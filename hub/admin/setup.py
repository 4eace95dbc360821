"""Setup (office only): windows, clerks, A/B posts, sessions, holidays, terminals and users."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from protocol.config import CONTROL_CHARACTERS

from .. import passwords
from ..store.errors import UnknownTerminal
from . import configedit, periods, staff
from .auth import ROLES, roles
from .blueprint import bp
from .context import audit, hall, store
from .halls import is_center, managed_users
from .terms import WEAK_PASSWORDS


def _form(*names):
    """The form's fields *names*, stripped; 400 naming the field if one holds a control character."""
    fields = {name: request.form.get(name, "").strip() for name in names}
    for name, value in fields.items():
        if CONTROL_CHARACTERS.search(value):
            abort(400, description=f"{name}: must not contain control characters")
    return fields


def _refuse_a_second(fields, existing):
    """409 when the office's add form names an id the config already holds (adding never overwrites)."""
    if request.form.get("mode") == "add" and fields["id"] in existing:
        abort(409, description=_("%(field)s: %(value)s already exists (%(name)s); change it in its row",
                                 field=_("Id"), value=fields["id"], name=existing[fields["id"]]))


def _saved(version):
    if version is not None:
        flash(_("Saved as a new config version") + f" ({_('Config version')} {version})")
    return redirect(url_for("admin.setup"))


@bp.route("/setup")
@roles("office")
def setup():
    """The hall's set-up: every editable part of the config, the terminals and the users."""
    return _setup_page(code=None, code_window=None)


def _setup_page(**shown):
    """The set-up page of the request's hall: its terminals, and the users the current user manages."""
    terminals = {row["id"]: row for row in store().terminals.all(g.hall)}
    shown.setdefault("twin", None)
    return render_template("admin/setup.html", config=hall(), terminals=terminals, users=managed_users(),
                           roles=ROLES, today=periods.today(), **shown)


@bp.route("/setup/window", methods=("POST",))
@roles("office")
def save_window():
    """Add a window or change one's name, department, terminal and A/B clerks."""
    fields = _form("id", "name", "terminal", "a", "b", "department")
    fields["department"] = staff.department(fields["department"])
    if request.form.get("mode") == "add" and not fields["id"]:
        fields["id"] = staff.new_window_id()
    _refuse_a_second(fields, {w.id: w.name for w in hall().windows})
    for post, label in (("a", _("A post")), ("b", _("B post"))):
        if request.form.get("mode") == "add" and not fields[post]:
            abort(400, description=_("%(field)s: choose a clerk", field=label))
        staff.refuse_departed(fields[post], label, hall().window(fields["id"]))

    def change(document):
        entry = next((w for w in document["windows"] if w["id"] == fields["id"]), None)
        if entry is None:
            entry = {"id": fields["id"]}
            document["windows"].append(entry)
        entry.update({k: v for k, v in fields.items() if v and k != "id"})
        if not fields["department"]:
            entry.pop("department", None)

    return _saved(configedit.save(change, "save window", fields))


@bp.route("/setup/clerk", methods=("POST",))
@roles("office")
def save_clerk():
    """Add a clerk (an empty id gets the next free one; a namesake in the department asks to confirm) or change
    one's name and department."""
    fields = _form("id", "name", "department")
    fields["department"] = staff.department(fields["department"])
    adding = request.form.get("mode") == "add"
    if adding and not fields["id"]:
        fields["id"] = staff.new_clerk_id()
    _refuse_a_second(fields, {c.id: c.name for c in hall().clerks.values()})
    twin = _namesake(fields) if adding and request.form.get("confirm") != "1" else None
    if twin is not None:
        return _setup_page(code=None, code_window=None, twin=twin, pending=fields), 409

    def change(document):
        entry = next((c for c in document["clerks"] if c["id"] == fields["id"]), None)
        if entry is None:
            entry = {"id": fields["id"]}
            document["clerks"].append(entry)
        entry["name"] = fields["name"]
        if fields["department"]:
            entry["department"] = fields["department"]
        else:
            entry.pop("department", None)

    return _saved(configedit.save(change, "save clerk", fields))


def _namesake(fields):
    """An active clerk of the hall with the same name and department as the one being added, or None."""
    today = periods.today()
    return next((c for c in hall().clerks.values() if c.name == fields["name"] and c.serves_on(today)
                 and (c.department or "") == fields["department"]), None)


@bp.route("/setup/departments", methods=("POST",))
@roles("office")
def save_departments():
    """Replace the hall's list of departments (one per line) that clerks and windows are chosen from."""
    names = list(dict.fromkeys(line.strip() for line in request.form.get("departments", "").splitlines()
                               if line.strip()))

    def change(document):
        document["hall"].pop("departments", None)
        if names:
            document["hall"]["departments"] = names

    return _saved(configedit.save(change, "save departments", {"departments": names}))


@bp.route("/setup/sessions", methods=("POST",))
@roles("office")
def save_sessions():
    """Change the sessions' start and end times and weekdays."""
    def change(document):
        for session in document["sessions"]:
            name = session["name"]
            session["start"] = request.form.get(f"start-{name}", session["start"])
            session["end"] = request.form.get(f"end-{name}", session["end"])
            session["days"] = request.form.getlist(f"days-{name}") or session["days"]

    return _saved(configedit.save(change, "save sessions", {}))


@bp.route("/setup/calendar", methods=("POST",))
@roles("office")
def save_calendar():
    """Replace the holidays and make-up workdays (one date per line)."""
    lists = {key: sorted({line.strip() for line in request.form.get(key, "").splitlines() if line.strip()})
             for key in ("holidays", "workdays")}

    def change(document):
        document["calendar"] = lists

    return _saved(configedit.save(change, "save calendar", lists))


@bp.route("/setup/terminal/<window>/code", methods=("POST",))
@roles("office")
def enrolment_code(window):
    """Generate a one-time enrolment code for a window's terminal (shown once, never stored in clear)."""
    if hall().window(window) is None:
        abort(404)
    code = store().terminals.new_enrolment_code(window, g.user["username"], hall=g.hall)
    return _setup_page(code=code, code_window=window)


@bp.route("/setup/terminal/<terminal>/revoke", methods=("POST",))
@roles("office")
def revoke_terminal(terminal):
    """Revoke a terminal's key: it must enrol again before the hub accepts it."""
    try:
        store().terminals.revoke(terminal, g.user["username"], hall=g.hall)
    except UnknownTerminal:
        abort(404)
    flash(_("%(key)s: %(value)s", key=_("revoked"), value=terminal))
    return redirect(url_for("admin.setup"))


@bp.route("/setup/user", methods=("POST",))
@roles("office")
def add_user():
    """Add a user with a role (office, department viewer, window group leader, auditor)."""
    fields = _form("username", "password", "role", "department", "display_name", "hall")
    user_hall = (fields.pop("hall") or None) if is_center() else g.hall     # a hall office adds to its own hall
    if not fields["username"] or fields["role"] not in ROLES or \
            store().users.by_name(fields["username"]) is not None or \
            user_hall not in {None, *(h["id"] for h in g.halls)}:
        flash(_("Invalid input"))
        return redirect(url_for("admin.setup"))
    try:
        passwords.check_policy(fields["password"], fields["username"])
    except passwords.WeakPassword as weak:
        flash(_(WEAK_PASSWORDS[weak.key], limit=weak.limit))
        return redirect(url_for("admin.setup"))
    store().users.add(fields["username"], passwords.hash_password(fields["password"]), fields["role"],
                      department=fields["department"] or None, display_name=fields["display_name"] or None,
                      hall=user_hall)
    audit("add user", {k: v for k, v in fields.items() if k != "password"}, hall=user_hall)
    flash(_("User added"))
    return redirect(url_for("admin.setup"))


@bp.route("/setup/user/<int(max=9223372036854775807):user_id>/active", methods=("POST",))  # SQLite's largest integer
@roles("office")
def set_user_active(user_id):
    """Enable or disable a user's login (one cannot disable oneself)."""
    active = request.form.get("active") == "1"
    if user_id == g.user["id"] and not active:
        abort(400, description="you cannot disable your own account")
    user = next((user for user in managed_users() if user["id"] == user_id), None)
    if user is None:
        abort(404)
    store().users.set_active(user_id, active)
    audit("enable user" if active else "disable user", {"user": user_id}, hall=user["hall"])
    return redirect(url_for("admin.setup"))
