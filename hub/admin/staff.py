"""Setup's staff changes (office only): 调离 a clerk and 撤销 a window from a date (their history stays), remove
one that has no history, and the helpers the add forms use (generated ids, departments from the hall's list)."""
import re
from datetime import date

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from . import configedit
from .auth import roles
from .blueprint import bp
from .context import fresh, hall, store
from .periods import FIRST_DAY, LAST_DAY, today

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def next_id(hall_ids, hub_ids, default_prefix):
    """The next free id in the hall's pattern (c013 after c012): the prefix and width of the hall's last numbered
    id, one past the highest number with that prefix among *hub_ids* (clerk ids are the hub's)."""
    numbered = [m for m in map(_NUMBERED.match, hall_ids) if m]
    prefix, width = (numbered[-1][1], len(numbered[-1][2])) if numbered else (default_prefix, 3)
    taken = [int(m[2]) for m in map(_NUMBERED.match, hub_ids) if m and m[1] == prefix]
    number = max(taken, default=0) + 1
    while f"{prefix}{number:0{width}d}" in hub_ids:
        number += 1
    return f"{prefix}{number:0{width}d}"


def new_clerk_id():
    """A clerk id free in every hall of the hub, in this hall's pattern."""
    hub_ids = {clerk for config in store().configs.every().values() for clerk in config.clerks}
    return next_id(list(hall().clerks), hub_ids, "c")


def new_window_id():
    """A window id free in this hall, in its pattern."""
    ids = [w.id for w in hall().windows]
    return next_id(ids, set(ids), "w")


def department(value):
    """*value* when it is one of the hall's departments (or empty: none); 400 naming the choices otherwise."""
    choices = hall().department_choices()
    if value and choices and value not in choices:
        abort(400, description=_("%(field)s: %(value)s is not one of the hall's departments (%(choices)s)",
                                 field=_("Department"), value=value, choices="、".join(choices)))
    return value


def refuse_departed(clerk_id, label, window):
    """400 when *clerk_id* is newly named for a post of *window* (None: a new window) but has left (调离) by today."""
    clerk = hall().clerks.get(clerk_id)
    if clerk is None or clerk.serves_on(today()) or (window is not None and clerk_id in (window.a, window.b)):
        return
    abort(400, description=_("%(field)s: %(name)s left on %(day)s; choose a new clerk", field=label,
                             name=clerk.name, day=clerk.left.isoformat()))


def _date_field(name):
    """The form's date *name* (empty: None), 400 naming the field when it is not a date in range."""
    value = request.form.get(name, "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        abort(400, description=_("%(field)s: not a date: %(value)s", field=name, value=value))
    if not FIRST_DAY <= day <= LAST_DAY:
        abort(400, description=f"{name}: {value} is outside {FIRST_DAY.isoformat()}..{LAST_DAY.isoformat()}")
    return day


def _set_date(key, entries, entry_id, name, action):
    """Set (or clear) *name* of the *key* entry *entry_id* from the form's date; a new config version."""
    if not any(e.id == entry_id for e in entries):
        abort(404)
    day = _date_field(name)

    def change(document):
        entry = next(e for e in document[key] if e["id"] == entry_id)
        entry.pop(name, None)
        if day is not None:
            entry[name] = day.isoformat()

    version = configedit.save(change, action, {"id": entry_id, name: day and day.isoformat()})
    if version is not None:
        flash(_("Saved as a new config version") + f" ({_('Config version')} {version})")
    return redirect(url_for("admin.setup"))


@bp.route("/setup/clerk/<clerk>/left", methods=("POST",))
@roles("office")
def clerk_left(clerk):
    """调离 a clerk from a date (empty: reinstate): not scheduled from that day, their history keeps the name."""
    return _set_date("clerks", hall().clerks.values(), clerk, "left", "clerk left")


@bp.route("/setup/window/<window>/closed", methods=("POST",))
@roles("office")
def window_closed(window):
    """撤销 a window from a date (empty: reopen): it holds no sessions from that day, its history stays."""
    return _set_date("windows", hall().windows, window, "closed", "window closed")


def _history(key, entry_id):
    """True when derived rows name the clerk (*key* "clerk") or window (*key* "window") *entry_id*."""
    span = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
    return bool(fresh(*span).projections.rows("attendance", start=span[0], end=span[1], hall=g.hall,
                                               **{key: entry_id}))


def _remove(key, entry_id, named, action):
    """Remove the *key* entry *entry_id* unless it has history (409 offering 调离/撤销 instead)."""
    if _history(key[:-1], entry_id) or named:
        abort(409, description=_("%(id)s has history or is named in the config (%(where)s): it cannot be removed; "
                                 "set the date it left or closed instead", id=entry_id,
                                 where=named or _("attendance")))

    def change(document):
        document[key] = [e for e in document[key] if e["id"] != entry_id]

    version = configedit.save(change, action, {"id": entry_id})
    if version is not None:
        flash(_("Removed: %(id)s", id=entry_id) + f" ({_('Config version')} {version})")
    return redirect(url_for("admin.setup"))


@bp.route("/setup/clerk/<clerk>/remove", methods=("POST",))
@roles("office")
def remove_clerk(clerk):
    """Remove a clerk who has no history (otherwise 调离 is the way)."""
    config = hall()
    if clerk not in config.clerks:
        abort(404)
    named = [w.id for w in config.windows if clerk in (w.a, w.b)] + \
        [f"leave {lv.clerk}" for lv in config.leave if clerk in (lv.clerk, lv.cover)] + \
        [f"overtime {ot.window}" for ot in config.overtime if clerk in ot.clerks]
    return _remove("clerks", clerk, "、".join(named), "remove clerk")


@bp.route("/setup/window/<window>/remove", methods=("POST",))
@roles("office")
def remove_window(window):
    """Remove a window that has no history (otherwise 撤销 is the way)."""
    config = hall()
    if config.window(window) is None:
        abort(404)
    named = [f"permit {p.window}" for p in config.permits if p.window == window] + \
        [f"overtime {ot.window}" for ot in config.overtime if ot.window == window]
    return _remove("windows", window, "、".join(named), "remove window")
