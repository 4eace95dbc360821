"""The month's ranking of halls and windows (通报, :mod:`hub.ranking`): page, print view, CSV and Excel.

The center's office ranks every hall and every window of the hub; a hall's office ranks its own hall's windows
(no hall ranking: it cannot see the other halls).
"""
from babel.dates import format_date
from flask import g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from .. import ranking
from . import terms
from .auth import roles
from .blueprint import bp
from .context import fresh, store
from .export import csv_response, xlsx_response
from .halls import is_center
from .periods import month_arg, today
from .register import MONTH_FORMAT, signatures

# (field, heading) of each component shown beside the rank
COMPONENTS = (("services", _l("Finished services")), ("rated", _l("Rated")), ("average", _l("Average rating")),
              ("satisfied_share", _l("Satisfied, percent")), ("bad", _l("Bad ratings (1–2)")),
              *((kind, terms.VIOLATIONS[kind]) for kind in ("late", "early_leave", "absent", "off_post",
                                                            "empty_window")),
              ("empty_window_s", _l("Empty min")), ("handovers", _l("Handovers")), ("wait_s", _l("Waited min")),
              ("deducted", _l("Deducted")), ("score", lazy_pgettext("ranking", "Score")))


def cell(line, field):
    """The shown value of *field* of a ranked *line*: shares in percent, seconds in minutes, unknown as None."""
    value = line[field]
    if value is None:
        return None
    if field == "satisfied_share":
        return round(100 * value, 1)
    if field in ("empty_window_s", "wait_s"):
        return round(value / 60, 1)
    if field == "average":
        return round(value, 2)
    return value


def mark(line):
    """The line's marks in words: not ranked (silent), tied, provisional."""
    words = [_("not ranked: nothing heard this month")] if line["rank"] is None else []
    words += [_("tied")] if line["tied"] else []
    words += [_("provisional")] if line["provisional"] else []
    return _(", ").join(words)


def month_ranking():
    """(first day, title, hall lines or None, window lines) of the month asked for, in the user's scope."""
    first, last = month_arg()
    scope = None if is_center() else g.hall
    reports = fresh(first.isoformat(), last.isoformat()).reports
    windows = ranking.rank_windows(reports.window_record(first.isoformat(), last.isoformat(), hall=scope))
    names = {h["id"]: h["name"] for h in store().configs.halls()}
    halls = ranking.rank_halls(windows, names) if scope is None and len(names) > 1 else None
    for line in windows:
        line["hall_name"] = names[line["hall"]]
    title = _("%(center)s ranking of halls and windows, %(month)s", center=names[scope or next(iter(names))],
              month=format_date(first, str(MONTH_FORMAT)))
    return first, title, halls, windows


@bp.route("/ranking")
@roles("office")
def ranking_page():
    """The month's ranking (通报): halls (the center's) and windows, every component, the formula; ``?print=1``
    prints it on A4 with the signature lines."""
    first, title, halls, windows = month_ranking()
    return render_template("admin/ranking.html", title=title, halls=halls, windows=windows,
                           components=COMPONENTS, cell=cell, mark=mark, month_arg=first.strftime("%Y-%m"),
                           formula=_("Score = %(formula)s", formula=_(ranking.FORMULA)), printed=today())


def _table():
    """(file name, title, header, rows, footer) of the month's ranking as a sheet: halls first, then windows."""
    first, title, halls, windows = month_ranking()
    header = [_("Ranked"), _("Rank"), _("Hall"), _("Window"), *[str(h) for _f, h in COMPONENTS], _("Marks")]
    rows = [[_("Hall"), line["rank"], line["name"], "", *[cell(line, f) for f, _h in COMPONENTS], mark(line)]
            for line in halls or []]
    rows += [[_("Window"), line["rank"], line["hall_name"], line["name"], *[cell(line, f) for f, _h in COMPONENTS],
              mark(line)] for line in windows]
    footer = [_("Score = %(formula)s", formula=_(ranking.FORMULA)), signatures()]
    return f"ranking-{first.strftime('%Y-%m')}", title, header, rows, footer


@bp.route("/ranking.csv")
@roles("office")
def ranking_csv():
    """The month's ranking as CSV."""
    name, _title, header, rows, _footer = _table()
    return csv_response(name, header, rows)


@bp.route("/ranking.xlsx")
@roles("office")
def ranking_xlsx():
    """The month's ranking as an Excel workbook (A4 landscape) with the formula and the signature lines."""
    return xlsx_response(*_table())
