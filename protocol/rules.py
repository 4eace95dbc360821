"""The rule engine: ``derive(config, facts)`` judges a hall's windows from what happened.

Pure and deterministic: the same config and facts (in any order, with any duplicates) give the same
output. The window terminal runs :func:`window_state` to light its lamps with no network; the hub runs
:func:`derive` over all facts to keep the record. Each window-day is replayed on its own (posts reset at
local midnight), so the hub re-derives only the window-days that new facts or config changes touch; a
clerk scheduled at two windows that day links them (:func:`protocol.people.linked_windows`): absence is a
person's, so each window's verdict reads the other's sign-ins.
"""
from collections import defaultdict
from datetime import datetime, time, timedelta

from .attendance import judge, signed_status
from .elsewhere import evidence, post_order
from .facts import parse_fact, unique_facts
from .overtime import extra_time, overtime_rows
from .people import charged, duties, holder, linked_windows, settling
from .posts import replay
from .report import format_report
from .services import LINK_LATENCY_S, services
from .spans import overlap_seconds, split_by_cover
from .time import resolve_times
from .window_state import WindowState, window_state  # noqa: F401  (public API)

__all__ = ["derive", "derive_window_day", "window_state", "WindowState", "duties"]


def derive(config, facts, *, as_of=None, since=None, windows=None, heard=None, hall=None, elsewhere=()):
    """Judge *facts* under *config* up to *as_of*; return the report of ``protocol.md`` as a dict.

    ``as_of`` is the instant up to which facts are known (default: the last fact's time); ``since`` a
    date or datetime whose local date starts the period (default: the first fact's); ``windows`` limits
    the report to those window ids; ``heard`` maps a window id to the instant its terminal has reported up
    to, when earlier than ``as_of`` (the hub's case). Every row carries ``provisional``: true while a
    window it depends on has not been heard past the row's period (R3: unknown is not empty).

    In a hub of several halls, ``hall`` is this hall's id and ``elsewhere`` the other halls
    (:class:`protocol.elsewhere.OtherHall`) where clerks of these windows are also scheduled: a person is
    judged once per session across halls (R2).
    """
    facts = unique_facts(f if hasattr(f, "key") else parse_fact(f) for f in facts)
    timed, uncertain = resolve_times(config, facts)
    tz = config.tz
    wanted = set(windows) if windows is not None else {w.id for w in config.windows}
    by_window_day, unassigned = defaultdict(list), []
    for t, fact in timed:
        window = config.window_of_terminal(fact.terminal)
        if window is None:
            unassigned.append(fact)
        else:
            by_window_day[(window.id, t.astimezone(tz).date())].append((t, fact))
    report = {"attendance": [], "violations": [], "empty_intervals": [], "handovers": [], "services": [],
              "overtime": [], "extra_time": [],
              "uncertain": [{"terminal": f.terminal, "seq": f.seq, "kind": f.kind, "boot": f.boot, "why": why}
                            for f, why in uncertain],
              "unassigned": [{"terminal": f.terminal, "seq": f.seq, "kind": f.kind,
                              "why": f"terminal {f.terminal} serves no window in the hall config"}
                             for f in unassigned],
              "stray_keys": [], "holdings": []}
    times = [t for t, _ in timed]
    if as_of is None and not times:
        return format_report(config, report, as_of=None)
    as_of = as_of if as_of is not None else max(times)
    first = since if since is not None else (min(times) if times else as_of)
    first_day = first if not isinstance(first, datetime) else first.astimezone(tz).date()
    day = first_day
    while day <= as_of.astimezone(tz).date():
        for key, rows in derive_day(config, day, by_window_day, wanted, as_of, heard or {},
                                    hall=hall, elsewhere=elsewhere).items():
            report[key].extend(rows)
        day += timedelta(days=1)
    return format_report(config, report, as_of=as_of)


def derive_day(config, day, by_window_day, wanted, as_of, heard, *, hall=None, elsewhere=()):
    """Rows of the *wanted* windows on *day*; a clerk's sign-in at any window they are scheduled at counts (R2),
    in this hall or in the halls *elsewhere* (:func:`protocol.elsewhere.evidence`).

    Each window is judged up to what was heard of it: ``min(as_of, heard[window])``.
    """
    needed = wanted | {other for w in wanted for other in linked_windows(config, w, day)}
    windows = [w for w in config.windows if w.id in needed]
    known = {w.id: min(as_of, heard.get(w.id, as_of)) for w in windows}
    replayed = {w.id: replay([tf for tf in by_window_day.get((w.id, day), []) if tf[0] <= known[w.id]])
                for w in windows}
    here = [duty for window in windows for duty in duties(config, window, day)]
    # (clerk, session) -> {(post, window)}, {window: status}; windows of other halls named "<hall>:<window>"
    scheduled, signed, known_elsewhere = evidence(elsewhere, day, as_of, here)
    for duty in here:
        scheduled[(duty.clerk, duty.session)].add((duty.post, duty.window))
        status = signed_status(duty, replayed[duty.window], config.rules, config.approved_leave(duty.clerk),
                               config.permits_for(duty.window), known[duty.window])
        if status is not None:
            signed[(duty.clerk, duty.session)][duty.window] = status
    out = defaultdict(list)
    people = {"scheduled": scheduled, "signed": signed, "known": {**known_elsewhere, **known},
              "first_post": post_order(hall)}
    for window in windows:
        if window.id in wanted:
            part = derive_window_day(config, window, day, by_window_day.get((window.id, day), []),
                                     replayed[window.id], people)
            for key, rows in part.items():
                out[key].extend(rows)
    return out


def derive_window_day(config, window, day, timed, replayed, people):
    """Rows of one window-day (times as datetimes) from its [(time, fact)] and their replay.

    *people* holds the day's ``scheduled`` and ``signed`` windows per (clerk, session), what is ``known``
    (heard up to) of each window involved, and ``first_post``, the order of posts that places a person's 旷工.
    """
    as_of = people["known"][window.id]
    timed = sorted(((t, f) for t, f in timed if t <= as_of), key=lambda tf: (tf[0], tf[1].seq))
    rules = config.rules
    permits = config.permits_for(window.id)
    out = {"attendance": [], "violations": [], "empty_intervals": [], "handovers": [], "services": [],
           "stray_keys": [], "holdings": []}
    planned, settle = duties(config, window, day), settling(config, window.id, day)
    for duty in planned:
        if duty.start >= as_of:
            continue
        key = (duty.clerk, duty.session)
        elsewhere = min(((w, st) for w, st in people["signed"][key].items() if w != window.id), default=None)
        row, violations = judge(duty, replayed, rules, config.approved_leave(duty.clerk), permits, as_of, elsewhere)
        posts = people["scheduled"][key]
        depends = {w for _, w in posts} if row["status"] == "absent" else {window.id}
        settled = all(people["known"][w] >= duty.closes for w in depends)
        if row["status"] == "absent" and min(posts, key=people["first_post"])[1] != window.id:  # one 旷工 a person-session
            violations = [v for v in violations if v["kind"] != "absent"]
        out["attendance"].append(dict(row, provisional=not settled))
        out["violations"].extend(dict(v, provisional=not settled) for v in violations)
    occurrences = config.sessions_of(window.id, day)
    out["overtime"] = [dict(r, provisional=as_of < settle(r["start"]))
                       for r in overtime_rows(planned, occurrences, replayed, as_of)]
    out["extra_time"] = [dict(r, provisional=as_of < settle(r["end"]))
                         for r in extra_time(config, window, planned, occurrences, replayed, as_of)]
    sessions = [(s, e) for _, s, e in occurrences if s < as_of]
    for start, end in sessions:
        for s, e in replayed.nobody_spans(start, min(end, as_of)):
            _empty_window(config, window, as_of, (s, e, end), permits, settle, out)
    day_over = as_of >= datetime.combine(day + timedelta(days=1), time(0), config.tz)
    for record in replayed.handovers:
        waited = overlap_seconds(record.requested, record.taken, sessions) if record.taken else None
        out["handovers"].append({
            "window": window.id, "from_post": record.from_post, "to_post": record.to_post,
            "requested": record.requested, "taken": record.taken, "wait_seconds": waited, "reason": record.reason,
            "kind": record.kind, "from_clerk": window.clerk_of(record.from_post),
            "to_clerk": window.clerk_of(record.to_post),
            "open": record.taken is None and record is replayed.pending and not day_over,
            "provisional": as_of < settle(record.requested)})
    for post, start, end in replayed.holdings:
        out["holdings"].append({"window": window.id, "post": post, "clerk": holder(config, window, post, start),
                                "start": start, "end": end or as_of, "open": end is None,
                                "provisional": as_of < settle(end or as_of)})
    rows, strays = services(config, window, timed, as_of)
    rating_closes = timedelta(seconds=rules.rating_window_s + LINK_LATENCY_S)
    out["services"] = [dict(r, provisional=as_of < max(settle(r["done"]),
                                                        r["done"] + rating_closes)) for r in rows]
    if strays:
        out["stray_keys"].append({"window": window.id, "date": day.isoformat(), "count": strays,
                                  "provisional": not day_over})
    return out


def _empty_window(config, window, as_of, span, permits, settle, out):
    """The empty interval(s) of one nobody-span (cut by permits) and its 空岗 violations (R3), each charged
    per minute to the clerk responsible then (R4)."""
    s, e, session_end = span
    provisional = as_of < settle(s)
    for ps, pe, excused in split_by_cover(s, e, permits):
        is_open = pe == as_of and as_of < session_end
        seconds = (pe - ps).total_seconds()
        out["empty_intervals"].append({"window": window.id, "start": ps, "end": pe, "seconds": seconds,
                                       "excused": excused, "open": is_open, "provisional": provisional})
        if not excused and seconds > config.rules.empty_grace_s:
            out["violations"].append({"kind": "empty_window", "window": window.id, "clerk": None,
                                      "start": ps, "end": pe, "seconds": seconds, "open": is_open,
                                      "charged_to": charged(config, window, ps, pe), "provisional": provisional})
