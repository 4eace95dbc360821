"""The month's inspection summary (R7): per window and per clerk, inspections, not at the post, dress, desk and
attitude problems with the notes; printable (A4, signature lines), CSV and Excel."""
from flask import g, render_template
from flask_babel import format_date
from flask_babel import gettext as _

from .. import formats
from ..inspection_summary import PROBLEMS, tally
from .auth import visible_clerks, visible_windows
from .blueprint import bp
from .context import hall, store
from .export import csv_response, xlsx_response
from .periods import month_arg, today
from .register import MONTH_FORMAT, signatures


def month_summary():
    """(first day, windows' tallies, clerks' tallies, inspections walked) of the month asked for, over the
    windows and clerks the user may see."""
    first, last = month_arg()
    config = hall()
    windows = {w.id: w.name for w in visible_windows(config)}
    clerks = {c.id: c.name for c in visible_clerks(config)}
    sheets = [s for s in store().inspections.sheets_between(first.isoformat(), last.isoformat(), g.hall)
              if s["window"] in windows]

    def note_of(sheet):
        if not sheet["note"]:
            return None
        return f"{formats.local(sheet['taken_at'], config.tz)[5:16]} {windows[sheet['window']]}：{sheet['note']}"

    by_clerk = [t for t in tally(sheets, "clerk", clerks, note_of) if t.key in clerks]
    return first, tally(sheets, "window", windows, note_of), by_clerk, len({s["inspection"] for s in sheets})


def title(first):
    """The summary's title: the hall's name and the month (2026年11月督查抽查汇总表)."""
    return _("%(hall)s inspection summary, %(month)s", hall=hall().name, month=format_date(first, str(MONTH_FORMAT)))


@bp.route("/inspections/summary")
def inspection_summary():
    """The month's inspection summary; ``?print=1`` lays it out for A4 with the signature lines."""
    first, windows, clerks, walked = month_summary()
    return render_template("admin/inspection_summary.html", first=first, windows=windows, clerks=clerks,
                           walked=walked, problems=PROBLEMS, title=title(first), printed=today(),
                           month_arg=first.strftime("%Y-%m"))


def _table():
    """(file name, title, header, rows) of the summary as one flat table: the windows, then the clerks."""
    first, windows, clerks, _walked = month_summary()
    header = [_("Of"), _("Name"), _("Times inspected"), _("Not at the post"), _("Dress not as required"),
              _("Desk untidy"), _("Poor service attitude"), _("Notes")]
    rows = [[of, t.name, t.inspections, t.absent, *[t.problems[p] for p in PROBLEMS], "；".join(t.notes)]
            for of, tallies in ((_("Window"), windows), (_("Clerk"), clerks)) for t in tallies]
    return f"inspections-{first.strftime('%Y-%m')}", title(first), header, rows


@bp.route("/inspections/summary.csv")
def inspection_summary_csv():
    """The month's inspection summary as CSV."""
    name, _title, header, rows = _table()
    return csv_response(name, header, rows)


@bp.route("/inspections/summary.xlsx")
def inspection_summary_xlsx():
    """The month's inspection summary as an Excel workbook, with the signature lines."""
    name, heading, header, rows = _table()
    return xlsx_response(name, heading, header, rows, [signatures()])
