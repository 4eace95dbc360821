"""The center wall (中心看板): one line per hall, worst first; a hall's name opens that hall's live wall."""
from flask import abort, render_template

from ..wall import center
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
