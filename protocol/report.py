"""The derive report as JSON: times in the hall's zone, numbers stable, rows sorted by time then window."""
import json
from datetime import datetime

SORT_KEYS = {
    "attendance": lambda r: (r["start"], r["window"], r["clerk"]),
    "violations": lambda r: (r["start"], r["window"] or "", r["kind"], r["clerk"] or ""),
    "empty_intervals": lambda r: (r["start"], r["window"]),
    "handovers": lambda r: (r["requested"], r["window"]),
    "services": lambda r: (r["done"], r["window"], r["service"]),
    "stray_keys": lambda r: (r["date"], r["window"]),
    "overtime": lambda r: (r["start"], r["window"], r["clerk"]),
    "extra_time": lambda r: (r["start"], r["window"], r["post"]),
    "holdings": lambda r: (r["start"], r["window"], r["post"]),
    "uncertain": lambda r: (r["terminal"], r["seq"]),
    "unassigned": lambda r: (r["terminal"], r["seq"]),
}


def iso(moment, tz):
    """ISO 8601 with offset in zone *tz*: whole seconds, or milliseconds when there are some."""
    local = moment.astimezone(tz)
    return local.isoformat(timespec="milliseconds" if local.microsecond else "seconds")


def _number(value):
    return int(value) if float(value).is_integer() else round(value, 3)


def _plain(value, tz):
    if isinstance(value, datetime):
        return iso(value, tz)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, list):
        return [_plain(item, tz) for item in value]
    if isinstance(value, dict):
        return {k: _plain(v, tz) for k, v in value.items()}
    return value


def format_report(config, report, *, as_of):
    """Sort every table, render times and numbers; the dict is ready for :func:`dumps`."""
    tz = config.tz
    out = {"hall": config.name, "as_of": None if as_of is None else iso(as_of, tz)}
    for key, rows in report.items():
        rows = sorted(rows, key=SORT_KEYS[key])
        out[key] = [{k: _plain(v, tz) for k, v in row.items() if k != "start" or key != "attendance"}
                    for row in rows]
    return out


def dumps(report):
    """The canonical JSON text of a report: byte-identical for the same input."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
