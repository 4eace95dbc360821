"""An inspection walked with a phone (R7 两督查、两抽查): its windows as the snapshot found them, a sheet per window
(在岗, 着装, 台面整洁, 服务态度, a note) filed by the office, correctable until the inspection is closed.

The sheet's judgements are the seed's: "统一穿工作服" (着装), "不得在办公桌面堆放与办公无关的个人物品,做到服务窗口
整洁、有序、统一" (台面整洁), "热情接待、受理业务不推诿怠慢" (服务态度).
"""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import inspections as policy
from ..store.errors import InspectionClosed
from .auth import roles, visible_windows
from .blueprint import bp
from .context import audit, hall, now, store

JUDGED = ("dress", "desk", "attitude")
NOTE_MAX = 500


def _inspection(inspection):
    """The request's hall's inspection *inspection* (404 when there is none of that id in the hall)."""
    item = store().inspections.get(inspection, g.hall)
    if item is None:
        abort(404, description=_("No inspection %(id)s in this hall", id=inspection))
    return item


def _visible_entries(item):
    """The snapshot's entries of the windows the user may see, with their window's config (None if removed)."""
    config = hall()
    visible = {w.id: w for w in visible_windows(config)}
    return [(entry, visible[entry["window"]]) for entry in item["snapshot"] if entry["window"] in visible]


@bp.route("/inspections/<int:inspection>")
def inspection_page(inspection):
    """One inspection: each window's state in its snapshot and its sheet; the office files sheets and closes it."""
    item = _inspection(inspection)
    config = hall()
    return render_template("admin/inspection.html", item=item, entries=_visible_entries(item),
                           sheets=store().inspections.sheets(inspection),
                           names={c.id: c.name for c in config.clerks.values()},
                           may_file=g.user["role"] == "office" and item["closed_at"] is None)


def _open_entry(inspection, window_id):
    """(inspection, snapshot entry, window) of an open inspection's window; 409 when closed, 404 when the
    snapshot has no such window."""
    item = _inspection(inspection)
    if item["closed_at"] is not None:
        abort(409, description=_("This inspection was closed; its sheets can no longer be changed."))
    for entry, window in _visible_entries(item):
        if entry["window"] == window_id:
            return item, entry, window
    abort(404, description=_("Window %(window)s is not in this inspection", window=window_id))


def _choice(name, allowed=("0", "1")):
    """The form's 0/1 choice *name* as an int; 400 naming the field when missing or not one of *allowed*."""
    value = request.form.get(name, "")
    if value not in allowed:
        abort(400, description=_("%(field)s: choose one (got %(value)s)", field=name, value=repr(value)))
    return int(value)


def _sheet_of_form(window, entry):
    """The sheet the form asks for; 400 naming the field of the first bad value."""
    clerk = request.form.get("clerk", "")
    if clerk and clerk not in policy.sheet_clerks(window, entry):
        abort(400, description=_("clerk: %(value)s is not a clerk of this window", value=clerk))
    note = request.form.get("note", "").strip()
    if len(note) > NOTE_MAX:
        abort(400, description=_("note: at most %(count)s characters (got %(got)s)", count=NOTE_MAX, got=len(note)))
    present = _choice("present")
    judged = {name: _choice(name) if present or name == "desk" else None for name in JUDGED}
    return {"clerk": clerk or None, "present": present, **judged, "note": note}


def _next_window(item, sheets, after):
    """The first window after *after* (then from the start) still without a sheet, or None."""
    order = [entry["window"] for entry, _window in _visible_entries(item)]
    start = order.index(after) + 1
    return next((w for w in order[start:] + order[:start] if w not in sheets), None)


@bp.route("/inspections/<int:inspection>/windows/<window_id>", methods=("GET", "POST"))
@roles("office")
def inspection_sheet(inspection, window_id):
    """A window's sheet: filled on the phone (prefilled from the snapshot or the sheet filed), saved, then on to
    the next window without one."""
    item, entry, window = _open_entry(inspection, window_id)
    sheets = store().inspections.sheets(inspection)
    if request.method == "GET":
        sheet = sheets.get(window_id) or policy.prefilled_sheet(window, entry)
        names = {c.id: c.name for c in hall().clerks.values()}
        return render_template("admin/inspection_sheet.html", item=item, entry=entry, window=window, sheet=sheet,
                               clerks=[(c, names.get(c, c)) for c in policy.sheet_clerks(window, entry)],
                               filed=window_id in sheets, note_max=NOTE_MAX)
    sheet = _sheet_of_form(window, entry)
    try:
        corrected = store().inspections.save_sheet(hall=g.hall, inspection=inspection, window=window_id, sheet=sheet,
                                                   saved_by=g.user["username"], saved_at=now())
    except InspectionClosed:
        abort(409, description=_("This inspection was closed; its sheets can no longer be changed."))
    audit("correct inspection sheet" if corrected else "save inspection sheet",
          {"inspection": inspection, "window": window_id,
           **{k: v if v is None or k in ("clerk", "note") else bool(v) for k, v in sheet.items()}})
    flash(_("Sheet of %(window)s saved", window=window.name))
    following = _next_window(item, {**sheets, window_id: sheet}, window_id)
    if following is None:
        return redirect(url_for("admin.inspection_page", inspection=inspection))
    return redirect(url_for("admin.inspection_sheet", inspection=inspection, window_id=following))


@bp.route("/inspections/<int:inspection>/close", methods=("POST",))
@roles("office")
def close_inspection(inspection):
    """Close an inspection: its sheets become final."""
    _inspection(inspection)
    try:
        store().inspections.close(hall=g.hall, inspection=inspection, closed_by=g.user["username"], closed_at=now())
    except InspectionClosed:
        abort(409, description=_("This inspection was closed already."))
    audit("close inspection", {"inspection": inspection,
                               "sheets": len(store().inspections.sheets(inspection))})
    flash(_("Inspection closed; its sheets are final"))
    return redirect(url_for("admin.inspection_page", inspection=inspection))
