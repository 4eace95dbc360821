"""The month's evaluations for the provincial 好差评 platform: one record per rated service (channel 评价器),
with its 差评 handling steps and any appeal, as JSON Lines and CSV. Byte-stable: the same record gives the same
bytes (sorted keys, records in (done, window, service) order, nothing of the moment of export).

The schema is ``protocol/schema/evaluation.schema.json`` (documented in docs/admin.md). Flask-free.
"""
import csv
import io
import json

from . import cases
from .deriver import catch_up

CHANNEL = "评价器"
LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
CSV_COLUMNS = ("id", "channel", "level", "level_name", "hall", "hall_name", "window", "window_name", "department",
               "clerk", "clerk_name", "service", "done", "rated", "case_state", "due", "verified_at", "finding", "verified_by",
               "rectified_at", "measure", "callback_at", "callback_method", "callback_reached",
               "callback_satisfaction", "closed_at", "closing_note", "appeal_grounds", "appeal_outcome",
               "appeal_decision")
# A CSV cell starting with one of these is read as a formula by spreadsheet programs: it gets a leading "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def record(config, hall, case, row):
    """The record of one rated service *row* of *hall*; *case* is its case (hub.cases) for a 差评, else None."""
    clerk = config.clerks.get(row["clerk"])
    window = config.window(row["window"])
    found = {"id": f"{hall}:{row['window']}:{row['service']}:{row['done']}", "channel": CHANNEL,
             "level": row["score"], "level_name": LEVELS[row["score"]], "hall": hall, "hall_name": config.name,
             "window": row["window"], "window_name": window.name if window else row["window"],
             "department": window.department if window else None, "clerk": row["clerk"],
             "clerk_name": clerk.name if clerk else None, "service": row["service"], "done": row["done"],
             "rated": row["rated"], "handling": None, "appeal": None}
    if case is not None:
        closure = case["closure"]
        found["handling"] = {
            "state": case["state"], "due": case["followup_due"],
            "steps": [{"step": s["step"], "at": s["at"], "by": s["by_user"], **s["detail"]} for s in case["steps"]],
            "closed_at": closure["closed_at"] if closure else None, "closed_by": closure["closed_by"] if closure else None,
            "closing_note": closure["note"] if closure else None}
    return found


def with_appeal(found, appeal):
    """*found* with its appeal (grounds, reason, filed, outcome, decision), when one was filed."""
    if appeal is None:
        return found
    keys = ("grounds", "reason", "filed_by", "filed_at", "outcome", "decided_by", "decided_at", "decision")
    return dict(found, appeal={key: appeal[key] for key in keys})


def jsonl(records):
    """The records as JSON Lines (UTF-8 bytes): one compact object per line, keys sorted."""
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
                   for r in records).encode("utf-8")


def _last(steps, step):
    return next((s for s in reversed(steps) if s["step"] == step), {})


def csv_bytes(records):
    """The records as CSV (UTF-8, no BOM, ``\\r\\n`` rows): one row each, the last step of each kind flattened."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        handling, appeal = r["handling"] or {}, r["appeal"] or {}
        steps = handling.get("steps", [])
        verify, rectify, callback = (_last(steps, step) for step in ("verify", "rectify", "callback"))
        values = {**r, "case_state": handling.get("state"), "due": handling.get("due"),
                  "verified_at": verify.get("at"), "finding": verify.get("finding"),
                  "verified_by": verify.get("verified_by"), "rectified_at": rectify.get("at"),
                  "measure": rectify.get("measure"), "callback_at": callback.get("at"),
                  "callback_method": callback.get("method"), "callback_reached": callback.get("reached"),
                  "callback_satisfaction": callback.get("satisfaction"), "closed_at": handling.get("closed_at"),
                  "closing_note": handling.get("closing_note"), "appeal_grounds": appeal.get("grounds"),
                  "appeal_outcome": appeal.get("outcome"), "appeal_decision": appeal.get("decision")}
        writer.writerow([_cell(values[column]) for column in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def evaluations(store, hall, first, last):
    """The records of *hall*'s rated services done on days *first*..*last* (dates), derived up to date."""
    span = first.isoformat(), last.isoformat()
    catch_up(store, start=span[0], end=span[1], hall=hall)
    config = store.configs.hall(hall)
    rated = sorted((row for row in store.projections.rows("services", start=span[0], end=span[1], hall=hall)
                    if row["score"] is not None), key=lambda row: (row["done"], row["window"], row["service"]))
    by_case = {(c["window"], c["service"], c["done"]): c
               for c in cases.cases_of(rated, store.cases.steps(hall), store.followups.closures(hall),
                                       store.cases.upheld(hall), hall)}
    appeals = {(a["window"], a["service"], a["done"]): a for a in store.cases.appeals(hall, start=span[0], end=span[1])}
    return [with_appeal(record(config, hall, by_case.get(key), row), appeals.get(key))
            for row in rated for key in [(row["window"], row["service"], row["done"])]]
