"""The hall's record three ways (the hub's, ``derive`` over the journals, the scenario's intent) and the
checks that they agree.

The hub and the journals hold the very same facts, so their rows must be equal field for field (bar the
hub's own ``day`` and both sides' ``provisional``: what was heard when, which differs by design). The scenario's intended
facts were pressed by simulated people in real time, so their times differ by scheduling jitter: they
must agree on every **verdict** (who was late or absent, which violations, handovers and ratings), not
on the second.
"""
import json
from collections import Counter
from datetime import date

from protocol.facts import parse_fact, same_fact
from protocol.rules import derive

TABLES = ("attendance", "violations", "handovers", "services", "overtime", "extra_time")
HUB_ONLY = ("day", "hall", "provisional")


def derived(config, facts):
    """``derive`` over *facts* (Fact objects or dicts): the compared tables' rows, and the whole report."""
    facts = [f if not isinstance(f, dict) else parse_fact(f) for f in facts]
    report = derive(config, facts)
    return {table: list(report[table]) for table in TABLES}, report


def hub_rows(store, days):
    """The hub's projections over *days* (ISO dates): the compared tables' rows, bookkeeping removed."""
    from hub.deriver import catch_up
    first, last = min(days), max(days)
    catch_up(store, start=first, end=last)                  # the hub's writer derives what is still dirty
    return {table: [{k: v for k, v in row.items() if k not in HUB_ONLY}
                    for row in store.projections.rows(table, start=first, end=last)] for table in TABLES}


def differences(ours, theirs):
    """Rows of one record missing from the other, per table: the same facts must give the very same rows."""
    found = []
    for table in TABLES:
        left, right = Counter(map(_canonical, ours[table])), Counter(map(_canonical, theirs[table]))
        found += [f"{table}: only in the first: {row}" for row in sorted(left - right)]
        found += [f"{table}: only in the second: {row}" for row in sorted(right - left)]
    return found


def _canonical(row):
    return json.dumps({k: v for k, v in row.items() if k not in HUB_ONLY}, ensure_ascii=False, sort_keys=True,
                      default=str)


def verdicts(rows):
    """What each compared row decides, without its exact times, as sorted tuples per table."""
    pick = {
        "attendance": ("clerk", "date", "session", "status", "early_leave", "window", "post"),
        "violations": ("kind", "window", "clerk"),
        "handovers": ("window", "kind", "from_post", "to_post", "reason"),
        "services": ("window", "clerk", "post", "score"),
    }
    out = {}
    for table, fields in pick.items():
        out[table] = sorted(tuple(str(row.get(f)) for f in fields) + _extra(table, row) for row in rows[table])
    return out


def _extra(table, row):
    if table == "handovers":
        return ("taken" if row.get("taken") else "not taken",)
    if table == "services":
        return ("followup" if row.get("followup_due") else "",)
    return ()


def facts_exactly_once(store, journal_facts):
    """Compare the hub's facts with the union of the journals; a dict of counts and the problems found.

    Every journal fact must be in the hub with the same body, except clock anchors recorded after the
    terminal's last push; the hub must hold nothing else, and each (terminal, seq) once.
    """
    held = store.facts.held()
    pairs = Counter((body["terminal"], body["seq"]) for body in held)
    hub = {(body["terminal"], body["seq"]): body for body in held}
    acked = {terminal["id"]: terminal["acked_seq"] for terminal in store.terminals.all()}
    journals = {(f.terminal, f.seq): f for f in journal_facts}
    problems = [f"{key} held {n} times" for key, n in pairs.items() if n != 1]
    problems += [f"{key} in the hub but in no journal" for key in hub.keys() - journals.keys()]
    for key, fact in journals.items():
        if key not in hub:
            if fact.kind != "clock" or key[1] <= acked.get(key[0], 0):
                problems.append(f"{key} ({fact.kind}) journaled but not in the hub")
        elif not same_fact(hub[key], fact.raw):
            problems.append(f"{key} differs: hub {hub[key]} journal {fact.raw}")
    counts = {"hub_facts": len(held), "journal_facts": len(journals), "distinct_in_hub": len(pairs),
              "clock_after_last_push": len(journals.keys() - hub.keys())}
    return counts, problems

def days_of(config, facts):
    """The ISO local dates the facts fall on (by their wall time)."""
    return sorted({(f.wall if not isinstance(f, dict) else parse_fact(f).wall).astimezone(config.tz).date().isoformat()
                   for f in facts}) or [date.today().isoformat()]
