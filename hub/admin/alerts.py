"""Alert inbox (告警): the open alerts and those of the last days, newest first, each acknowledged by the office
with a note (who, when, note; audited); an acknowledged alert stays listed until it ends. The center sees every
hall's, with a hall column; a hall office its hall's; a department's viewers and leaders their department's."""
from datetime import timedelta

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..alert_text import shown
from ..store.times import utc_iso
from .auth import roles
from .blueprint import bp
from .context import audit, now, store
from .halls import is_center

RECENT_DAYS = 7
MAX_NOTE_CHARS = 500


def _visible(row):
    """True when the current user may see alert *row*: the office all of its halls', others their department's."""
    department = g.user["department"]
    return g.user["role"] == "office" or not department or row["department"] == department


def _hall_scope():
    """The halls the inbox lists: every hall for the center (None), else the request's hall."""
    return None if is_center() else g.hall


@bp.route("/alerts")
def alerts():
    """The alert inbox: open alerts and those ended in the last days, newest first."""
    moment = now()
    configs = store().configs.every()
    rows = store().alerts.recent(since=utc_iso(moment - timedelta(days=RECENT_DAYS)), hall=_hall_scope())
    listed = [shown(row, configs[row["hall"]], moment, _) for row in rows if row["hall"] in configs and _visible(row)]
    hall_names = {hall_id: config.name for hall_id, config in configs.items()}
    return render_template("admin/alerts.html", alerts=listed, center=is_center(), hall_names=hall_names,
                           days=RECENT_DAYS)


@bp.route("/alerts/<int(max=9223372036854775807):alert_id>/acknowledge", methods=("POST",))
@roles("office", "leader")
def acknowledge_alert(alert_id):
    """Acknowledge an alert with a note (who, when, note), audited; 409 when it was acknowledged before."""
    note = request.form.get("note", "").strip()
    if not note:
        abort(400, description=_("note: must not be empty"))
    if len(note) > MAX_NOTE_CHARS:
        abort(400, description=_("note: %(n)s characters is over the limit of %(limit)s", n=len(note),
                                 limit=MAX_NOTE_CHARS))
    row = store().alerts.get(alert_id, _hall_scope())
    if row is None or not _visible(row):
        abort(404)
    if not store().alerts.acknowledge(alert_id, hall=row["hall"], by=g.user["username"], at=utc_iso(now()), note=note):
        abort(409, description=_("This alert was already acknowledged; your note was not saved."))
    audit("acknowledge alert", {"alert": alert_id, "kind": row["kind"], "window": row["window"], "note": note},
          hall=row["hall"])
    flash(_("Alert acknowledged"))
    return redirect(url_for("admin.alerts", _anchor=f"alert-{alert_id}"))
