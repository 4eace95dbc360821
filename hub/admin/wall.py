"""Live wall (实时看板): every window's state, refreshed by the page every second from wall.json."""
from flask import jsonify, redirect, render_template, url_for

from ..wall import snapshot
from .auth import visible_windows
from .blueprint import bp
from .context import hall, now, store
from .i18n import t

WORDS = ("unknown", "nobody", "waiting_for", "yes", "no", "never", "offline_since", "stale", "closed_window")


def _wall():
    config = hall()
    return snapshot(store(), config, visible_windows(config), now(), t)


@bp.route("/")
def index():
    """The admin home: the live wall."""
    return redirect(url_for("admin.wall"))


@bp.route("/wall")
def wall():
    """The live wall page (polls wall.json)."""
    return render_template("admin/wall.html", data=_wall(), words={key: t(key) for key in WORDS})


@bp.route("/wall.json")
def wall_json():
    """The live state of the windows the user may see, as JSON."""
    response = jsonify(_wall().as_json())
    response.headers["Cache-Control"] = "no-store"
    return response
