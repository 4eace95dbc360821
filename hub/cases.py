"""好差评 cases (issue 16; 国办发〔2019〕51号: 差评 are verified, rectified and answered — 调查核实、督促整改、反馈):
each 1–2 rating is a case due on its follow-up date (R5), handled in steps — 核实 (what happened, found by whom),
整改 (the measure taken), 回访 (the citizen called back: how, reached or not, satisfied with the handling) — and
closed once verified, rectified and the citizen reached. Flask-free: rows in, states and the month's rates out.
"""
from collections import defaultdict
from datetime import datetime

CALLBACK_METHODS = ("phone", "sms", "in_person")
HANDLING_SATISFACTION = ("satisfied", "basically", "dissatisfied")
# what a case needs before it may be closed, in the order they are done
NEEDED = ("verify", "rectify", "callback")


def reached(steps):
    """The callbacks of *steps* that reached the citizen."""
    return [s for s in steps if s["step"] == "callback" and s["detail"].get("reached")]


def missing_for_close(steps):
    """The steps a case still needs before closing (a callback counts once it reached the citizen)."""
    done = {s["step"] for s in steps if s["step"] != "callback"} | ({"callback"} if reached(steps) else set())
    return [step for step in NEEDED if step not in done]


def state(steps, closure):
    """The case's state: closed, called_back, rectified, verified or open (the furthest step taken)."""
    if closure:
        return "closed"
    taken = {s["step"] for s in steps}
    if reached(steps):
        return "called_back"
    return next((name for step, name in (("rectify", "rectified"), ("verify", "verified")) if step in taken), "open")


def cases_of(services, steps, closures, upheld, hall):
    """The 差评 of *services* (derived rows) as cases: the row with its steps, closure, state and whether its
    appeal was upheld (it stays in the record, marked, and leaves the statistics)."""
    by_case = defaultdict(list)
    for step in steps:
        by_case[(step["window"], step["service"], step["done"])].append(step)
    found = []
    for row in services:
        if row["score"] not in (1, 2):
            continue
        key = (row["window"], row["service"], row["done"])
        closure = closures.get(key)
        found.append(dict(row, steps=by_case.get(key, []), closure=closure,
                          state=state(by_case.get(key, []), closure), upheld=(hall, *key) in upheld))
    return found


def rates(cases, today, group, tz):
    """The month's 回访率, 整改率 and on-time rate per *group* ("window" or "clerk") as sorted (key, line) pairs,
    and over all (None when no case), of the *cases* not upheld on appeal. On time: closed on or before its due date (local, zone *tz*); a case
    open and not yet due on ISO day *today* is not counted against it."""
    lines = defaultdict(lambda: {"cases": 0, "called_back": 0, "rectified": 0, "due": 0, "on_time": 0})
    for case in cases:
        if case["upheld"]:
            continue
        for key in (case[group], None):
            line = lines[key]
            line["cases"] += 1
            line["called_back"] += bool(reached(case["steps"]))
            line["rectified"] += any(s["step"] == "rectify" for s in case["steps"])
            closed_day = (datetime.fromisoformat(case["closure"]["closed_at"]).astimezone(tz).date().isoformat()
                          if case["closure"] else None)
            if closed_day or case["followup_due"] < today:
                line["due"] += 1
                line["on_time"] += bool(closed_day and closed_day <= case["followup_due"])
    shown = {key: dict(line, callback_rate=_share(line["called_back"], line["cases"]),
                       rectify_rate=_share(line["rectified"], line["cases"]), on_time_rate=_share(line["on_time"], line["due"]))
             for key, line in lines.items()}
    total = shown.pop(None, None)
    return sorted(shown.items(), key=lambda item: item[0] or ""), total


def _share(part, whole):
    return part / whole if whole else None
