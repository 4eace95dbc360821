"""Overtime (加班, R10, E §3(6)): a window's request, the office's approval before it starts, the span into config.

窗口因工作需要，节假日、双休日和晚上加班的，应提前填写加班申请单，报行政中心协调股，经批准安排好值班人员后方可加班。
"""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from protocol.config import config_from_dict, config_to_dict
from protocol.errors import ConfigError

from . import configedit
from .auth import require_clerk, require_window, roles, visible_clerks, visible_windows
from .blueprint import bp
from .context import audit, hall, now, store
from .periods import range_args
from .records import names, visible_rows


def _entry(row, approved_by):
    """The ``[[overtime]]`` config entry a request stands for."""
    return {"window": row["window"], "from": row["start"], "to": row["end"], "clerks": list(row["clerks"]),
            "approved_by": approved_by}


@bp.route("/overtime")
def overtime():
    """Overtime requests of the windows the user may see; approved spans' hours and extra time in a date range."""
    config = hall()
    windows = {w.id for w in visible_windows(config)}
    rows = [r for r in store().overtime.requests(hall=g.hall) if r["window"] in windows]
    for row in rows:
        row["started"] = configedit.local_time(row["start"], "from") <= now()
    first, last = range_args()
    return render_template("admin/overtime.html", requests=rows, windows=visible_windows(config),
                           clerks=visible_clerks(config), names=names(), first=first, last=last,
                           hours=visible_rows("overtime", first, last), extra=visible_rows("extra_time", first, last))


@bp.route("/overtime/new", methods=("POST",))
@roles("office", "leader")
def new_overtime():
    """File an overtime request (加班申请单) for a window: a span in advance and its duty clerks."""
    config = hall()
    window = require_window(config, request.form.get("window", ""))
    start, end = configedit.form_span()
    reason = request.form.get("reason", "").strip()
    if not reason:
        abort(400, description="reason: say what work needs the overtime (因工作需要)")
    if start <= now():
        abort(400, description=f"from: overtime is requested in advance (应提前填写), {start.isoformat()} has begun")
    clerks = [require_clerk(config, clerk).id for clerk in request.form.getlist("clerks")]
    row = {"window": window.id, "start": start.isoformat(), "end": end.isoformat(), "clerks": clerks}
    _check(config, row)
    request_id = store().overtime.add_request(**row, hall=g.hall, reason=reason, requested_by=g.user["username"],
                                              requested_at=now().isoformat())
    audit("file overtime", dict(row, request=request_id, reason=reason))
    flash(_("Overtime request filed"))
    return redirect(url_for("admin.overtime"))


def _check(config, row):
    """Refuse (400) a span the hall config would refuse, naming the form's field as protocol.config names it."""
    document = config_to_dict(config)
    document["overtime"].append(_entry(row, g.user["username"]))
    try:
        config_from_dict(document)
    except ConfigError as exc:
        prefix = f"overtime[{len(config.overtime)}]"
        message = str(exc)
        abort(400, description=message[len(prefix):].lstrip(".") if message.startswith(prefix) else message)


def _pending(request_id):
    return configedit.pending(store().overtime.request(request_id, hall=g.hall), "overtime", request_id,
                              lambda row: require_window(hall(), row["window"]))


@bp.route("/overtime/<int:request_id>/approve", methods=("POST",))
@roles("office")
def approve_overtime(request_id):
    """Approve a request before its span begins: the span becomes a session of the window (a new config version)."""
    row = _pending(request_id)
    if configedit.local_time(row["start"], "from") <= now():
        abort(409, description=f"overtime request {request_id} began at {row['start']}: it must be approved before "
                               "it starts (经批准…方可加班); reject it or file a new one")
    version = configedit.save(lambda document: document["overtime"].append(_entry(row, g.user["username"])),
                              "overtime into config", {"request": request_id})
    if version is None:
        return redirect(url_for("admin.overtime"))
    store().overtime.decide(request_id, "approved", decided_by=g.user["username"],
                            decided_at=now().isoformat(), config_version=version)
    audit("approve overtime", {"request": request_id, "version": version})
    flash(_("Approved; the span is now a session of the window"))
    return redirect(url_for("admin.overtime"))


@bp.route("/overtime/<int:request_id>/reject", methods=("POST",))
@roles("office")
def reject_overtime(request_id):
    """Reject a pending request, with the office's reason."""
    _pending(request_id)
    reason = request.form.get("reason", "").strip()
    if not reason:
        abort(400, description="reason: a rejection says why")
    store().overtime.decide(request_id, "rejected", decided_by=g.user["username"],
                            decided_at=now().isoformat(), rejection=reason)
    audit("reject overtime", {"request": request_id, "reason": reason})
    flash(_("Rejected"))
    return redirect(url_for("admin.overtime"))
