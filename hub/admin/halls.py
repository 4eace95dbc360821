"""Which hall a page reads and changes: a hall-scoped user's own, always; a center user's choice (the
navigation's hall selector, kept in the session; the hub's first hall until one is chosen).

A user's ``hall`` (office_users.hall) scopes them to one hall: a hall office (M art. 18:
桃花岭服务大厅由食安办负责日常管理), or a viewer or leader of a hall's department. NULL is the center: every hall.
"""
from flask import abort, g, redirect, request, session, url_for

from .blueprint import bp
from .context import store


def resolve():
    """Set ``g.hall`` (the hall of this request) and ``g.halls`` (those the user may choose); 403 when a
    hall-scoped user asks for another hall, 404 for a hall the hub does not have."""
    halls, asked, own = store().configs.halls(), request.args.get("hall"), g.user["hall"]
    if own is not None:
        if asked not in (None, own):
            abort(403)
        g.hall, g.halls = own, [h for h in halls if h["id"] == own]
        return
    ids = [h["id"] for h in halls]
    if asked is not None:
        if asked not in ids:
            abort(404)
        session["hall"] = asked                 # a hall asked for stays chosen (the wall polls without it)
    chosen = asked or session.get("hall")
    g.hall, g.halls = (chosen if chosen in ids else next(iter(ids), None)), halls


def is_center():
    """True for a user of every hall (no hall of their own)."""
    return g.user["hall"] is None


def managed_users():
    """The users the current office user manages: every user for the center, their hall's for a hall office."""
    users = store().users.all()
    return users if is_center() else [user for user in users if user["hall"] == g.hall]


@bp.route("/hall", methods=("POST",))
def select_hall():
    """Choose the hall the pages show (center users); back to the page the choice was made on."""
    if not is_center():
        abort(403)
    hall = request.form.get("hall", "")
    if hall not in {h["id"] for h in g.halls}:
        abort(400, description=f"hall: no hall {hall!r} in this hub")
    session["hall"] = hall
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/admin/") else url_for("admin.wall"))
