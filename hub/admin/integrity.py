"""好差评 integrity signals of a month (:mod:`protocol.integrity`): what was flagged, at which window, for which
clerk, and the facts behind it. A signal is never a verdict: the office looks and decides."""
from flask import g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from protocol.integrity import signals

from .auth import roles, visible_windows
from .blueprint import bp
from .context import fresh, hall, store
from .periods import month_arg
from .records import names

# What each signal means, in the reader's words, with its threshold (the measure's values).
KINDS = {"done_burst": _l("Done presses with no service between them (less than %(min_service_s)s s apart)"),
         "quick_rating": _l("Ratings pressed faster than a citizen can read the prompt (under %(min_read_s)s s)"),
         "top_run": _l("A run of top scores improbable at the clerk's usual share of them (%(own)s) and the hall's "
                       "(%(hall)s)"),
         "off_hours": _l("Ratings outside the window's sessions (more than %(grace_min)s min before or after)"),
         "keypad_unused": _l("A keypad not used: %(limit)s or more done presses in a day, none rated"),
         "stray_flood": _l("A flood of stray keys: %(limit)s or more in a day"),
         "appeals_upheld": _l("Bad ratings removed on appeal far more often than other clerks' (%(share)s of theirs, "
                              "others %(others)s)")}


def explained(signal):
    """The signal's kind in words, its threshold (or, for a run, the usual shares) filled in."""
    values = signal.measure
    if signal.kind == "top_run":
        values = {"own": _("unknown") if values["own_share"] is None else f"{values['own_share']:.0%}",
                  "hall": f"{values['hall_share']:.0%}"}
    elif signal.kind == "appeals_upheld":
        values = {"share": f"{values['share']:.0%}", "others": f"{values['others_share']:.0%}"}
    return str(KINDS[signal.kind]) % values


@bp.route("/integrity")
@roles("office", "leader")
def integrity():
    """The month's integrity signals of the windows the user may see, each with its evidence.

    Signals are computed over the whole hall (a run is judged against the hall's usual share, whoever reads)
    and then limited to the user's windows."""
    first, last = month_arg()
    config = hall()
    projections = fresh(first.isoformat(), last.isoformat()).projections
    services, strays = (projections.rows(table, start=first.isoformat(), end=last.isoformat(), hall=g.hall)
                        for table in ("services", "stray_keys"))
    mine = {w.id for w in visible_windows(config)}
    upheld = {key[1:] for key in store().cases.upheld(g.hall)}
    found = [s for s in signals(config, services, strays, config.integrity, upheld) if s.window in mine]
    return render_template("admin/integrity.html", month_arg=first.strftime("%Y-%m"), found=found,
                           explained=explained, names=names(),
                           title=_("Integrity signals of ratings, %(month)s", month=first.strftime("%Y-%m")))
