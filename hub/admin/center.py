"""The center wall (中心看板): one line per hall, worst first; a hall's name opens that hall's live wall. Its
lines are pushed to the page as server-sent events (center/events) when they change."""
from dataclasses import asdict
from functools import partial

from flask import abort, current_app, render_template, request
from flask_babel import force_locale, get_locale

from .. import formats, wall_events
from ..wall import center
from . import sessions
from .auth import roles
from .blueprint import bp
from .context import now, store
from .halls import is_center


@bp.route("/center")
@roles("office")
def center_wall():
    """Each hall's windows held, empty, unknown and out of hours, and its handovers waiting (the center's office)."""
    if not is_center():
        abort(403)
    return render_template("admin/center.html", lines=center(store(), now()))


@bp.route("/center/events")
@roles("office")
def center_events():
    """The center wall's lines as server-sent events (see hub.wall_events), for the center's office."""
    if not is_center():
        abort(403)
    locale = str(get_locale())
    compute = partial(_streamed, current_app._get_current_object(), locale)
    return wall_events.stream(("center", locale), compute, request.headers.get("Last-Event-ID"),
                              sessions.running_out())


def _streamed(app, locale):
    """The center wall's lines in *locale* with the hub's time, computed outside any request."""
    with app.app_context(), force_locale(locale):
        at = now()
        moment = at.isoformat(timespec="seconds")
        return {"now": moment, "now_local": moment, "now_clock": formats.clock(moment),
                "halls": [asdict(line) for line in center(store(), at)]}
