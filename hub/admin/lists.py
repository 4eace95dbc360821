"""Every list the office reads, downloadable as CSV and Excel: the same rows the page shows, scoped the same way.

``/admin/export/<list>.<csv|xlsx>?from=…&to=…`` and the list's other filters (:mod:`.filters`, as on its page)
for violations, empty intervals, handovers, ratings with their follow-ups, the attendance of each day, and the
inspections' snapshots.
"""
from datetime import timedelta

from flask import abort, g
from flask_babel import gettext as _
from flask_babel import pgettext

from .. import formats
from . import filters, terms
from .blueprint import bp
from .context import hall, store
from .export import csv_response, xlsx_response
from .records import filtered_rows, names


def _time(value, tz):
    return formats.local(value, tz, missing="")


def _minutes(seconds):
    """Seconds as minutes to a tenth (whole minutes as integers)."""
    if seconds is None:
        return ""
    minutes = round(seconds / 60, 1)
    return int(minutes) if minutes.is_integer() else minutes


def _who(named, clerk):
    return named.get(clerk, clerk) if clerk else ""


def violations(flt, named, tz):
    """Violations with whom each is charged to."""
    header = [pgettext("fact", "Kind"), _("Window"), _("Clerk"), _("Start"), _("End"), _("Minutes"), _("open"),
              _("provisional")]
    rows = [[terms.VIOLATIONS[v["kind"]], named[v["window"]],
             "，".join(f"{_who(named, p['clerk']) or _('the window (nobody scheduled)')} {_minutes(p['seconds'])}"
                      for p in v["charged_to"]) if v.get("charged_to") else _who(named, v["clerk"]),
             _time(v["start"], tz), _time(v["end"], tz), _minutes(v["seconds"]), int(v["open"]),
             int(v["provisional"])]
            for v in filtered_rows("violations", flt)]
    return header, rows


def empty(flt, named, tz):
    """Empty intervals, excused or not."""
    header = [_("Window"), _("Start"), _("End"), _("Minutes"), _("excused"), _("open"), _("provisional")]
    rows = [[named[e["window"]], _time(e["start"], tz), _time(e["end"], tz), _minutes(e["seconds"]), int(e["excused"]),
             int(e["open"]), int(e["provisional"])] for e in filtered_rows("empty_intervals", flt)]
    return header, rows


def handovers(flt, named, tz):
    """Handovers: who to whom, when, how long the window waited, why."""
    header = [_("Window"), pgettext("handover", "From"), pgettext("handover", "To"), _("Requested"),
              pgettext("handover", "Taken"), _("Waited minutes"), _("Reason"),
              _("provisional")]
    rows = [[named[h["window"]], f"{h['from_post']} {_who(named, h['from_clerk'])}",
             f"{h['to_post']} {_who(named, h['to_clerk'])}", _time(h["requested"], tz), _time(h["taken"], tz),
             _minutes(h["wait_seconds"]), terms.REASONS[h["reason"]] if h["reason"] else "", int(h["provisional"])]
            for h in filtered_rows("handovers", flt)]
    return header, rows


def ratings(flt, named, tz):
    """Every finished service with its rating and, for a 1–2 rating, its follow-up."""
    closures = store().followups.closures(g.hall)
    header = [_("Window"), _("Clerk"), _("Service"), _("Finished"), _("Score"), _("Follow-up due"), _("Closed by"),
              _("Closed at"), _("Note"), _("provisional")]
    rows = []
    for s in filtered_rows("services", flt):
        closure = closures.get((s["window"], s["service"], s["done"])) or {}
        rows.append([named[s["window"]], _who(named, s["clerk"]), s["service"], _time(s["done"], tz),
                     "" if s["score"] is None else s["score"], s.get("followup_due") or "",
                     closure.get("closed_by", ""), _time(closure.get("closed_at"), tz), closure.get("note", ""),
                     int(s["provisional"])])
    return header, rows


def attendance(flt, named, tz):
    """Each day's sign-ins and verdicts."""
    header = [_("Date"), _("Session"), _("Clerk"), _("Window"), _("Post"), _("Sign-in"), _("Sign-out"), _("Status"),
              _("early leave"), _("provisional")]
    rows = [[a["date"], terms.SESSIONS.get(a["session"], a["session"]), _who(named, a["clerk"]), named[a["window"]],
             a["post"], _time(a["sign_in"], tz), _time(a["sign_out"], tz), terms.STATUS[a["status"]],
             int(a["early_leave"]), int(a["provisional"])] for a in filtered_rows("attendance", flt)]
    return header, rows


def inspections(flt, named, tz):
    """Each inspection's snapshot: one row per window the user may see."""
    visible = set(flt.windows)
    header = [pgettext("fact", "Kind"), pgettext("inspection", "Due"), pgettext("inspection", "Taken"), _("Window"),
              _("Held by"), _("Empty since"), _("Keypad"), _("Last sync")]
    rows = []
    for day in range((flt.last - flt.first).days + 1):
        for item in store().inspections.of_day((flt.first + timedelta(days=day)).isoformat(), g.hall):
            rows += [[terms.INSPECTIONS[item["kind"]], _time(item["due_at"], tz), _time(item["taken_at"], tz),
                      w["name"], f"{w['holder']} {_who(named, w['holder_clerk'])}" if w["holder"] else "",
                      _time(w["empty_since"], tz), "" if w["keypad"] is None else int(w["keypad"]),
                      _time(w["last_sync"], tz)]
                     for w in item["snapshot"] if w["window"] in visible]
    return header, rows


LISTS = {"violations": violations, "empty": empty, "handovers": handovers, "ratings": ratings,
         "attendance": attendance, "inspections": inspections}


@bp.route("/export/<name>.<fmt>")
def export_list(name, fmt):
    """One list as its page's filter shows it (:mod:`.filters`), as CSV or an Excel workbook."""
    if name not in LISTS or fmt not in ("csv", "xlsx"):
        abort(404)
    flt = filters.from_request(name)
    first, last = flt.first, flt.last
    config = hall()
    header, rows = LISTS[name](flt, names(), config.tz)
    header, rows = [_("Hall"), *header], [[config.name, *row] for row in rows]     # every row says its hall
    file_name = f"{name}-{g.hall}-{first.isoformat()}-{last.isoformat()}"
    if fmt == "csv":
        return csv_response(file_name, header, rows)
    return xlsx_response(file_name, f"{config.name} {first.isoformat()} – {last.isoformat()}", header, rows)
