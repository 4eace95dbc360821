"""Leave and permits (R9 请假, R3 short absence): request, approval by the right tier, re-derivation."""
from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from protocol.hall import LEAVE_KINDS, Leave

from . import configedit
from .auth import TIERS, require_clerk, require_window, roles, visible_clerks, visible_windows
from .blueprint import bp
from .context import audit, hall, now, store
from .records import names

REFUSALS_SHOWN = 1000


def _leave_of(request_row, tiers=()):
    """The protocol Leave a request stands for, approved by *tiers*."""
    return Leave(request_row["clerk"], configedit.local_time(request_row["start"], "from"),
                 configedit.local_time(request_row["end"], "to"), request_row["kind"], tuple(tiers),
                 request_row["cover"])


@bp.route("/leave")
def leave():
    """Leave requests (with the tiers each needs) and permits of the windows the user may see."""
    config = hall()
    clerks = {c.id for c in visible_clerks(config)}
    windows = {w.id for w in visible_windows(config)}
    requests = [r for r in store().leave.requests(hall=g.hall) if r["clerk"] in clerks]
    for row in requests:
        leave_ = _leave_of(row)
        row["needs"] = config.approvers_needed(leave_)
        row["days"] = config.leave_days(leave_)
        row["stricter_tier"] = 2 < row["days"] < 3          # the seed's gap: the 3+ day tier applies
        row["filed_after"] = datetime.fromisoformat(row["requested_at"]) > leave_.start     # 事后补办
        have = {a["tier"] for a in row["approvals"]}
        row["can_approve"] = [tier for tier in row["needs"] if tier in TIERS[g.user["role"]] and tier not in have]
    permits = [p for p in config.permits if p.window in windows]
    return render_template("admin/leave.html", requests=requests, permits=permits, kinds=LEAVE_KINDS,
                           clerks=visible_clerks(config), windows=visible_windows(config), names=names(),
                           from_file=_leave_in_config_only(config, clerks, requests), refusals=_refusals())


def _leave_in_config_only(config, clerks, requests):
    """Approved leave of the visible *clerks* that the hall config holds but no request of *requests* put there
    (written in the hall file, or by an earlier hub)."""
    filed = {(r["clerk"], configedit.local_time(r["start"], "from"), configedit.local_time(r["end"], "to"))
             for r in requests if r["status"] == "approved"}
    return [entry for entry in config.leave
            if entry.clerk in clerks and (entry.clerk, entry.start, entry.end) not in filed]


def _refusals():
    """Why each refused leave request was refused: request id -> the reason the office recorded in the audit log."""
    return {entry["detail"]["request"]: entry["detail"].get("reason")
            for entry in store().audit.entries(action="reject leave", limit=REFUSALS_SHOWN)}


@bp.route("/leave/new", methods=("POST",))
@roles("office", "leader")
def new_leave():
    """File a leave request for a clerk (approval comes separately)."""
    config = hall()
    clerk = require_clerk(config, request.form.get("clerk", ""))
    start, end = configedit.form_span()
    kind, cover = request.form.get("kind"), request.form.get("cover") or None
    if end <= start or kind not in LEAVE_KINDS or (cover is not None and cover not in config.clerks):
        flash(_("Invalid input"))
        return redirect(url_for("admin.leave"))
    certificate = request.form.get("certificate") == "1" if kind == "sick" else None
    request_id = store().leave.add_request(hall=g.hall, clerk=clerk.id, start=start.isoformat(), end=end.isoformat(),
                                           kind=kind, cover=cover, note=request.form.get("note", ""),
                                           requested_by=g.user["username"], requested_at=now().isoformat(),
                                           certificate=certificate)
    audit("file leave", {"request": request_id, "clerk": clerk.id, "from": start.isoformat(), "to": end.isoformat(),
                         "kind": kind, "certificate": certificate})
    flash(_("Leave request filed"))
    return redirect(url_for("admin.leave"))


def _pending(request_id):
    return configedit.pending(store().leave.request(request_id, hall=g.hall), "leave", request_id,
                              lambda row: require_clerk(hall(), row["clerk"]))


@bp.route("/leave/<int:request_id>/approve", methods=("POST",))
@roles("office", "leader")
def approve_leave(request_id):
    """Approve as one tier; once every needed tier has approved, write the leave into a new config version."""
    config = hall()
    row = _pending(request_id)
    tier = request.form.get("tier")
    if tier not in TIERS[g.user["role"]] or tier not in config.approvers_needed(_leave_of(row)):
        abort(403)
    store().leave.approve(request_id, tier, approved_by=g.user["username"], approved_at=now().isoformat())
    audit("approve leave", {"request": request_id, "tier": tier})
    tiers = [a["tier"] for a in store().leave.request(request_id, hall=g.hall)["approvals"]]
    approved = _leave_of(row, tiers)
    if not config.is_approved(approved):
        flash(_("Approval recorded"))
        return redirect(url_for("admin.leave"))

    def add(document):
        document["leave"].append({key: value for key, value in {
            "clerk": approved.clerk, "from": approved.start.isoformat(), "to": approved.end.isoformat(),
            "kind": approved.kind, "approved_by": list(approved.approved_by), "cover": approved.cover}.items()
            if value is not None})

    version = configedit.save(add, "leave into config", {"request": request_id})
    if version is not None:
        store().leave.decide(request_id, "approved", config_version=version)
        flash(_("Approved; a new config version re-derived attendance"))
    return redirect(url_for("admin.leave"))


@bp.route("/leave/<int:request_id>/certificate", methods=("POST",))
@roles("office")
def leave_certificate(request_id):
    """Record that a sick leave's hospital certificate (医院诊断证明, E §2(2)) was or was not provided."""
    row = store().leave.request(request_id, hall=g.hall)
    if row is None:
        abort(404)
    provided = request.form.get("provided")
    if row["kind"] != "sick" or provided not in ("0", "1"):
        abort(400, description=f"certificate: only a sick leave has one, and provided must be 0 or 1, "
                               f"got kind {row['kind']!r}, provided {provided!r}")
    store().leave.set_certificate(request_id, provided == "1")
    audit("leave certificate", {"request": request_id, "provided": provided == "1"})
    return redirect(url_for("admin.leave"))


@bp.route("/leave/<int:request_id>/reject", methods=("POST",))
@roles("office")
def reject_leave(request_id):
    """Refuse a pending leave request, saying why (400 without a reason)."""
    _pending(request_id)
    reason = request.form.get("reason", "").strip()
    if not reason:
        abort(400, description=_("%(key)s: %(value)s", key=_("Reason"), value=_("a refusal says why")))
    store().leave.decide(request_id, "rejected")
    audit("reject leave", {"request": request_id, "reason": reason})
    flash(_("Leave request %(id)s not approved", id=request_id))
    return redirect(url_for("admin.leave"))


@bp.route("/permits/new", methods=("POST",))
@roles("office")
def new_permit():
    """Grant a window a short absence in advance (inside it, an empty window is no violation)."""
    window = require_window(hall(), request.form.get("window", ""))
    start, end = configedit.form_span()
    reason = request.form.get("reason") or None

    def add(document):
        document["permits"].append({key: value for key, value in {
            "window": window.id, "from": start.isoformat(), "to": end.isoformat(), "reason": reason}.items()
            if value is not None})

    if configedit.save(add, "grant permit", {"window": window.id, "from": start.isoformat(),
                                             "to": end.isoformat()}) is not None:
        flash(_("Permit granted"))
    return redirect(url_for("admin.leave"))
