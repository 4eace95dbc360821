"""Inspections (R7 两督查、两抽查): the day's snapshots, taken automatically when due, and a manual check."""
from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import deriver
from .. import inspections as policy
from .auth import roles, visible_windows
from .blueprint import bp
from .context import audit, hall, now, store
from .periods import day_arg


@bp.before_request
def take_due_inspections():
    """On any admin request, have the deriver take the inspections that have come due (once per slot)."""
    # Each snapshot shows the windows at its due time, so one taken late still records that instant.
    # The terminal API never triggers it: a refused API request must leave the store unchanged.
    current = store()
    if current.configs.halls():
        deriver.take_due_inspections(current)


@bp.route("/inspections")
def inspections():
    """The inspections of a day, each with its snapshot of the windows the user may see."""
    config = hall()
    day = day_arg()
    visible = {w.id for w in visible_windows(config)}
    current = store()
    taken = current.inspections.of_day(day.isoformat(), g.hall)
    for item in taken:
        item["snapshot"] = [entry for entry in item["snapshot"] if entry["window"] in visible]
        item["sheets"] = len([w for w in current.inspections.sheets(item["id"]) if w in visible])
    planned = policy.inspection_times(config, day, store().settings.inspection_secret())
    return render_template("admin/inspections.html", day=day, taken=taken, names={c.id: c.name for c in
                                                                                 config.clerks.values()},
                           pending=[p for p in planned if p[0] not in {i["slot"] for i in taken} and
                                    p[1] == "scheduled"])


@bp.route("/inspections/take", methods=("POST",))
@roles("office")
def take_inspection():
    """Take a manual check of every window of the hall now (临时检查) and open it to file its sheets."""
    at = now()
    slot = f"manual-{at.strftime('%H%M%S')}"
    taken = store().inspections.add(hall=g.hall, day=at.astimezone(hall().tz).date().isoformat(), slot=slot,
                                    kind="manual", due_at=at, taken_at=at, taken_by=g.user["username"],
                                    snapshot=policy.snapshot(store(), at, g.hall))
    if taken is None:
        flash(_("A check was taken this very second; it is listed below"))
        return redirect(url_for("admin.inspections"))
    audit("take inspection", {"slot": slot, "inspection": taken})
    flash(_("Snapshot taken and kept"))
    return redirect(url_for("admin.inspection_page", inspection=taken))
