"""Live wall (实时看板): every window's state, pushed to the page by server-sent events (wall/events; the page
polls wall.json every second when it cannot have them); with ``?screen=1`` (always for a display account) the
hall's big screen: hall name, date, clock and totals."""
from datetime import date
from functools import partial

from flask import current_app, g, jsonify, redirect, render_template, request
from flask_babel import force_locale, format_date, get_locale, gettext
from flask_babel import lazy_gettext as _l

from .. import wall_events
from ..store.configs import hall_id
from ..wall import STATE_WORDS, snapshot
from . import sessions
from .auth import visible_windows, window_scope, windows_in_scope
from .blueprint import bp
from .context import hall, now, store
from .login import landing
from .release import release

# The words the page's script writes itself (the cards' text comes from the wall model).
WORDS = {"never": _l("never"), "stale": _l("connection lost: the cards show the last state the hub gave")}
# The big screen's totals, in the order shown (each a key of hub.wall.Totals).
TOTALS = (("held", _l("Held")), ("empty", _l("Empty")), ("unknown", _l("Offline or unknown")),
          ("waiting", _l("Waiting for handover")))


def _answer(config, windows, at):
    """The wall of *windows* of *config*'s hall at *at* as the page's script reads it: the model, the hall's date
    in words and the pages' release."""
    wall = snapshot(store(), config, windows, at, gettext)
    return dict(wall.as_json(), date_text=format_date(date.fromisoformat(wall.now_local[:10]), format="full"),
                release=release())


def _requested():
    """The wall the request's user may see, now."""
    config = hall()
    return _answer(config, visible_windows(config), now())


def _streamed(app, hall_of, scope, locale):
    """The wall of hall *hall_of*'s windows in *scope* in *locale*, computed outside any request (for the stream)."""
    with app.app_context(), force_locale(locale):
        config = store().configs.hall(hall_of)
        return _answer(config, windows_in_scope(config, scope), now())


@bp.route("/")
def index():
    """The admin home: the user's landing page (the live wall; the audit log for an auditor)."""
    return redirect(landing(g.user))


@bp.route("/wall")
def wall():
    """The live wall page (its events pushed, else it polls wall.json); ``?screen=1``, and always for a display account, the big screen."""
    legend = [(state, gettext(word)) for state, word in STATE_WORDS.items()]
    screen = request.args.get("screen") == "1" or g.user["role"] == "display"
    return render_template("admin/wall.html", data=_requested(), legend=legend, totals=TOTALS,
                           words={key: str(word) for key, word in WORDS.items()}, hall_name=hall().name,
                           screen=screen)


@bp.route("/wall.json")
def wall_json():
    """The live state of the windows the user may see, as JSON."""
    response = jsonify(_requested())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/wall/events")
def wall_events_stream():
    """The live state of the windows the user may see as server-sent events (see hub.wall_events)."""
    hall_of, scope, locale = hall_id(hall()), window_scope(g.user), str(get_locale())
    compute = partial(_streamed, current_app._get_current_object(), hall_of, scope, locale)
    return wall_events.stream(("wall", hall_of, scope, locale), compute, request.headers.get("Last-Event-ID"),
                              sessions.running_out())
