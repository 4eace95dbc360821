"""Live wall (实时看板): every window's state, refreshed by the page every second from wall.json; with
``?screen=1`` (always for a display account) the hall's big screen: hall name, date, clock and totals."""
from datetime import date

from flask import g, jsonify, redirect, render_template, request
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from ..wall import STATE_WORDS, snapshot
from .auth import visible_windows
from .blueprint import bp
from .context import hall, now, store
from .login import landing
from .release import release

# The words the page's script writes itself (the cards' text comes from the wall model).
WORDS = {"never": _l("never"), "stale": _l("connection lost: the cards show the last state the hub gave")}
# The big screen's totals, in the order shown (each a key of hub.wall.Totals).
TOTALS = (("held", _l("Held")), ("empty", _l("Empty")), ("unknown", _l("Offline or unknown")),
          ("waiting", _l("Waiting for handover")))


def _wall():
    config = hall()
    return snapshot(store(), config, visible_windows(config), now(), gettext)


def _answer(wall):
    """The wall as the page's script reads it: the model, the hall's date in words and the pages' release."""
    return dict(wall.as_json(), date_text=format_date(date.fromisoformat(wall.now_local[:10]), format="full"),
                release=release())


@bp.route("/")
def index():
    """The admin home: the user's landing page (the live wall; the audit log for an auditor)."""
    return redirect(landing(g.user))


@bp.route("/wall")
def wall():
    """The live wall page (polls wall.json); ``?screen=1``, and always for a display account, the big screen."""
    legend = [(state, gettext(word)) for state, word in STATE_WORDS.items()]
    screen = request.args.get("screen") == "1" or g.user["role"] == "display"
    return render_template("admin/wall.html", data=_answer(_wall()), legend=legend, totals=TOTALS,
                           words={key: str(word) for key, word in WORDS.items()}, hall_name=hall().name,
                           screen=screen)


@bp.route("/wall.json")
def wall_json():
    """The live state of the windows the user may see, as JSON."""
    response = jsonify(_answer(_wall()))
    response.headers["Cache-Control"] = "no-store"
    return response
