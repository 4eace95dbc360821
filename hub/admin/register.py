"""The month's attendance register (月度考勤表): page, A4 landscape print, CSV and Excel (R8)."""
from flask import g, render_template
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import register
from . import terms
from .auth import visible_clerks
from .blueprint import bp
from .context import fresh, hall
from .export import csv_response, xlsx_response
from .periods import month_arg, today
from .records import visible_rows

TABLES = ("attendance", "violations", "holdings")
MONTH_FORMAT = _l("MMMM y")          # a Babel date pattern: 2026年11月 in Chinese


def month_lines():
    """(first, last, days, lines) of the month asked for, for the clerks the user may see."""
    first, last = month_arg()
    span = first.isoformat(), last.isoformat()
    config = hall()
    clerks = visible_clerks(config)
    ids = {c.id for c in clerks}
    summary = [line for line in fresh(*span).reports.attendance_summary(*span, hall=g.hall) if line["clerk"] in ids]
    rows = {table: visible_rows(table, first, last) for table in TABLES}
    lines = register.month_register(config, first, last, clerks=clerks, rows=rows, summary=summary, today=today())
    return first, last, register.month_days(first, last), lines


def title(first):
    """The register's title: the hall's name and the month (2026年11月考勤表)."""
    return _("%(hall)s attendance register, %(month)s", hall=hall().name, month=format_date(first, str(MONTH_FORMAT)))


def cell_text(line, day):
    """One day's cell: each session's marks, sessions separated by a slash."""
    return "/".join("".join(str(terms.REGISTER_MARKS[kind]) for kind in kinds)
                    for kinds in register.day_marks(line, day.isoformat()))


@bp.route("/attendance/register")
def attendance_register():
    """The month's register on screen; ?print=1 lays it out on A4 landscape with the signature lines."""
    first, last, days, lines = month_lines()
    return render_template("admin/attendance_register.html", first=first, days=days, lines=lines,
                           title=title(first), cell=cell_text, printed=today(), legend=register.MARK_ORDER,
                           month_arg=first.strftime("%Y-%m"))


def _table():
    """(name, title, header, rows) of the register as a flat table for CSV and Excel."""
    first, last, days, lines = month_lines()
    header = [_("Clerk"), _("Department"), *[str(d.day) for d in days], _("Scheduled sessions"),
              _("Attended sessions"), *[str(terms.VIOLATIONS[k]) for k in register.TALLIES], _("Leave days"),
              _("provisional")]
    rows = [[line.name, line.department or "", *[cell_text(line, d) for d in days], line.scheduled, line.attended,
             *[line.tallies[k] for k in register.TALLIES], line.leave_days, int(line.provisional)] for line in lines]
    return f"register-{first.strftime('%Y-%m')}", title(first), header, rows


def _legend():
    """The marks and what each means, as one line of text."""
    return "；".join(f"{terms.REGISTER_MARKS[k]} {terms.REGISTER_LEGEND[k]}" for k in register.MARK_ORDER)


@bp.route("/attendance/register.csv")
def attendance_register_csv():
    """The month's register as CSV."""
    name, _title, header, rows = _table()
    return csv_response(name, header, rows)


@bp.route("/attendance/register.xlsx")
def attendance_register_xlsx():
    """The month's register as an Excel workbook (A4 landscape), with the legend and signature lines."""
    name, heading, header, rows = _table()
    footer = [_legend(), signatures()]
    return xlsx_response(name, heading, header, rows, footer)


def signatures():
    """The signature line of a printed register (制表, 审核, 负责人) and the day it was printed."""
    return "    ".join([*(label + "________" for label in (_("Prepared by:"), _("Checked by:"), _("Person in charge:"))),
                        _("Printed on: %(day)s", day=today().isoformat())])
