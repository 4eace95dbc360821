"""Live wall (实时看板): every window's state, refreshed by the page every second from wall.json."""
from flask import g, jsonify, redirect, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..wall import STATE_WORDS, snapshot
from .auth import visible_windows
from .blueprint import bp
from .context import hall, now, store
from .login import landing

# The words the page's script writes itself (the cards' text comes from the wall model).
WORDS = {"never": _l("never"), "stale": _l("connection lost: the cards show the last state the hub gave")}


def _wall():
    config = hall()
    return snapshot(store(), config, visible_windows(config), now(), gettext)


@bp.route("/")
def index():
    """The admin home: the user's landing page (the live wall; the audit log for an auditor)."""
    return redirect(landing(g.user))


@bp.route("/wall")
def wall():
    """The live wall page (polls wall.json); ``?screen=1`` for the hall's big screen (no navigation)."""
    legend = [(state, gettext(word)) for state, word in STATE_WORDS.items()]
    return render_template("admin/wall.html", data=_wall(), words={key: str(word) for key, word in WORDS.items()},
                           legend=legend, hall_name=hall().name, screen=request.args.get("screen") == "1")


@bp.route("/wall.json")
def wall_json():
    """The live state of the windows the user may see, as JSON."""
    response = jsonify(_wall().as_json())
    response.headers["Cache-Control"] = "no-store"
    return response
