"""The rule engine: ``derive(config, facts)`` judges a hall's windows from what happened.

Pure and deterministic: the same config and facts (in any order, with any duplicates) give the same
output. The window terminal runs :func:`window_state` to light its lamps with no network; the hub runs
:func:`derive` over all facts to keep the record. Each window-day is replayed on its own (posts reset at
local midnight), so the hub re-derives only the window-days that new facts or config changes touch.
"""
from collections import defaultdict
from datetime import datetime, time, timedelta

from .attendance import Duty, judge
from .facts import parse_fact, unique_facts
from .hall import Overtime
from .overtime import extra_time, overtime_rows
from .posts import replay
from .report import format_report
from .services import services
from .spans import overlap_seconds, split_by_cover
from .time import resolve_times
from .window_state import WindowState, window_state  # noqa: F401  (public API)

__all__ = ["derive", "derive_window_day", "window_state", "WindowState", "duties"]


def derive(config, facts, *, as_of=None, since=None, windows=None):
    """Judge *facts* under *config* up to *as_of*; return the report of ``protocol.md`` as a dict.

    ``as_of`` is the instant up to which facts are known (default: the last fact's time); ``since`` a
    date or datetime whose local date starts the period (default: the first fact's); ``windows`` limits
    the report to those window ids.
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
        elif window.id in wanted:
            by_window_day[(window.id, t.astimezone(tz).date())].append((t, fact))
    report = {"attendance": [], "violations": [], "empty_intervals": [], "handovers": [], "services": [],
              "overtime": [], "extra_time": [],
              "uncertain": [{"terminal": f.terminal, "seq": f.seq, "kind": f.kind, "boot": f.boot, "why": why}
                            for f, why in uncertain],
              "unassigned": [{"terminal": f.terminal, "seq": f.seq, "kind": f.kind,
                              "why": f"terminal {f.terminal} serves no window in the hall config"}
                             for f in unassigned],
              "stray_keys": []}
    times = [t for t, _ in timed]
    if as_of is None and not times:
        return format_report(config, report, as_of=None)
    as_of = as_of if as_of is not None else max(times)
    first = since if since is not None else (min(times) if times else as_of)
    first_day = first if not isinstance(first, datetime) else first.astimezone(tz).date()
    last_day = as_of.astimezone(tz).date()
    day = first_day
    while day <= last_day:
        for window in config.windows:
            if window.id in wanted:
                part = derive_window_day(config, window, day, by_window_day.get((window.id, day), []), as_of)
                for key, rows in part.items():
                    report[key].extend(rows)
        day += timedelta(days=1)
    return format_report(config, report, as_of=as_of)


def duties(config, window, day):
    """Who is scheduled at *window* on *day*: a :class:`Duty` per session for A, or B covering A's leave,
    and one per duty clerk of each approved overtime span (R10)."""
    tz = config.tz
    day_start = datetime.combine(day, time(0), tz)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tz)
    occurrences = config.sessions_of(window.id, day)
    opens_before = timedelta(minutes=config.rules.sign_in_opens_min)
    leave_late = timedelta(minutes=config.rules.leave_late_min)
    planned = []
    for i, (session, start, end) in enumerate(occurrences):
        opens = occurrences[i - 1][2] if i else day_start
        closes = max(end + leave_late, occurrences[i + 1][1] - opens_before) if i + 1 < len(occurrences) else min(
            end + opens_before, day_end)
        for clerk, post in _scheduled(config, window, session, start, end):
            planned.append(Duty(clerk, window.id, post, session.name, start, end, opens, closes))
    return planned


def _scheduled(config, window, session, start, end):
    """(clerk, post) scheduled in one session: an overtime's duty clerks, else A and B covering A's leave."""
    if isinstance(session, Overtime):
        return [(clerk, "A" if clerk == window.a else "B") for clerk in session.clerks]
    on_leave = [lv for lv in config.leave if lv.clerk == window.a and config.is_approved(lv)
                and lv.start <= start and lv.end >= end]
    if not on_leave:
        return [(window.a, "A")]
    return [(window.a, "A"), (on_leave[0].cover or window.b, "B")]


def derive_window_day(config, window, day, timed, as_of):
    """Rows of one window-day (times as datetimes) from its [(time, fact)] known up to *as_of*."""
    timed = sorted(((t, f) for t, f in timed if t <= as_of), key=lambda tf: (tf[0], tf[1].seq))
    replayed = replay(timed)
    rules = config.rules
    permits = config.permits_for(window.id)
    out = {"attendance": [], "violations": [], "empty_intervals": [], "handovers": [], "services": [],
           "stray_keys": []}
    planned = duties(config, window, day)
    for duty in planned:
        if duty.start >= as_of:
            continue
        row, violations = judge(duty, replayed, rules, config.approved_leave(duty.clerk), permits, as_of)
        out["attendance"].append(row)
        out["violations"].extend(violations)
    occurrences = config.sessions_of(window.id, day)
    out["overtime"] = overtime_rows(planned, occurrences, replayed, as_of)
    out["extra_time"] = extra_time(config, window, planned, occurrences, replayed, as_of)
    sessions = [(s, e) for _, s, e in occurrences if s < as_of]
    for start, end in sessions:
        for s, e in replayed.nobody_spans(start, min(end, as_of)):
            for ps, pe, excused in split_by_cover(s, e, permits):
                is_open = pe == as_of and as_of < end
                seconds = (pe - ps).total_seconds()
                out["empty_intervals"].append({"window": window.id, "start": ps, "end": pe, "seconds": seconds,
                                               "excused": excused, "open": is_open})
                if not excused and seconds > rules.empty_grace_s:
                    out["violations"].append({"kind": "empty_window", "window": window.id, "clerk": None,
                                              "start": ps, "end": pe, "seconds": seconds, "open": is_open})
    day_over = as_of >= datetime.combine(day + timedelta(days=1), time(0), config.tz)
    for record in replayed.handovers:
        waited = overlap_seconds(record.requested, record.taken, sessions) if record.taken else None
        out["handovers"].append({
            "window": window.id, "from_post": record.from_post, "to_post": record.to_post,
            "requested": record.requested, "taken": record.taken, "wait_seconds": waited, "reason": record.reason,
            "kind": record.kind, "from_clerk": window.clerk_of(record.from_post),
            "to_clerk": window.clerk_of(record.to_post),
            "open": record.taken is None and record is replayed.pending and not day_over})
    rows, strays = services(config, window, timed, as_of)
    out["services"] = rows
    if strays:
        out["stray_keys"].append({"window": window.id, "date": day.isoformat(), "count": strays})
    return out

