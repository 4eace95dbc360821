"""Live wall (实时看板): every window's state, refreshed by the page every second from wall.json."""
from flask import g, jsonify, redirect, render_template
from flask_babel import lazy_gettext as _l

from ..wall import snapshot
from .auth import visible_windows
from .blueprint import bp
from .context import hall, now, store
from .login import landing
from flask_babel import gettext

# The words the page's script puts on the cards (by key).
WORDS = {"unknown": _l("Unknown"), "nobody": _l("Nobody"), "waiting_for": _l("Waiting for"), "yes": _l("yes"),
         "no": _l("no"), "never": _l("never"), "offline_since": _l("Offline since"), "stale": _l("connection lost"),
         "closed_window": _l("Out of hours")}


def _wall():
    config = hall()
    return snapshot(store(), config, visible_windows(config), now(), gettext)


@bp.route("/")
def index():
    """The admin home: the user's landing page (the live wall; the audit log for an auditor)."""
    return redirect(landing(g.user))


@bp.route("/wall")
def wall():
    """The live wall page (polls wall.json)."""
    return render_template("admin/wall.html", data=_wall(), words={key: str(word) for key, word in WORDS.items()})


@bp.route("/wall.json")
def wall_json():
    """The live state of the windows the user may see, as JSON."""
    response = jsonify(_wall().as_json())
    response.headers["Cache-Control"] = "no-store"
    return response
