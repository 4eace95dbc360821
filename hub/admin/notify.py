"""Notifications (/admin/notify, the office's): each receiver's health, the routes, the messages that failed,
and the silences the office sets on the request's hall (matchers on window and alert kind; audited).

Receivers and routes hold robot keys and secrets: they are set with ``hallpost hub notify`` on the hub's
machine and shown here masked.
"""
from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..notify import validate
from ..notify.receivers import masked
from .auth import roles
from .blueprint import bp
from .configedit import local_time
from .context import hall, now, store

FAILED_SHOWN = 20


@bp.route("/notify")
@roles("office")
def notify():
    """Receivers with their health (a failing one highlighted), routes, failed messages and silences."""
    receivers = [dict(r, shown=masked(r["kind"], r["settings"]), failing=_failing(r))
                 for r in store().notify.receivers()]
    silences = [s for s in store().notify.silences(since=now()) if s["hall"] in (None, g.hall)]
    return render_template("admin/notify.html", receivers=receivers, routes=store().notify.routes(),
                           failed=store().outbox.messages(status="failed", limit=FAILED_SHOWN), silences=silences,
                           windows=hall().windows, now=now().isoformat())


@bp.route("/notify/silences", methods=("POST",))
@roles("office")
def add_silence():
    """Silence the hall's alerts matching a window and/or an alert kind from one time to another, with a comment."""
    form = request.form
    try:
        silence = validate.silence(halls={g.hall}, hall=g.hall, window=form.get("window"), kind=form.get("kind"),
                                   starts_at=local_time(form.get("from"), "from"),
                                   ends_at=local_time(form.get("to"), "to"), comment=form.get("comment"), now=now())
    except ValueError as exc:
        abort(400, description=str(exc))
    if silence["window"] and hall().window(silence["window"]) is None:
        abort(400, description=f"window: no window {silence['window']!r} in this hall")
    store().notify.add_silence(silence, g.user["username"])
    flash(_("Silence set"))
    return redirect(url_for("admin.notify"))


@bp.route("/notify/silences/<int:silence>/expire", methods=("POST",))
@roles("office")
def expire_silence(silence):
    """End a silence of the hall now."""
    if not any(s["id"] == silence and s["hall"] in (None, g.hall) for s in store().notify.silences()):
        abort(404)
    try:
        store().notify.expire_silence(silence, g.user["username"])
    except LookupError as exc:
        abort(409, description=str(exc))
    flash(_("Silence ended"))
    return redirect(url_for("admin.notify"))


def _failing(receiver):
    """True when *receiver*'s latest outcome is an error, or a message to it failed for good."""
    error, success = receiver["last_error_at"], receiver["last_success"]
    return bool(receiver["counts"].get("failed")) or (error is not None and (success is None or
                                                      datetime.fromisoformat(error) > datetime.fromisoformat(success)))
