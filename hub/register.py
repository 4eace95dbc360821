"""The month's attendance register (月度考勤表): one line per clerk, one cell per day, a mark per session.

R8 (E §2(4)): "对各窗口工作人员的出勤情况每月进行汇总" — the paper form halls keep is a grid of clerks by days with a
mark for each day's verdict. Built here from the derived rows alone (the hub's record), so the register, the
monthly summary and the day pages always agree. B-post clerks are on it: their days show where they were
scheduled (covering A's leave) or held a post without being scheduled (顶岗).
"""
from dataclasses import dataclass, field
from datetime import timedelta

from protocol.people import schedule

# mark kinds in the order they are written within one session's cell
MARK_ORDER = ("unknown", "on_time", "not_early", "late", "absent", "leave", "early_leave", "off_post", "covered",
              "overtime")
STATUS_MARKS = {"on_time", "not_early", "late", "absent", "leave"}
TALLIES = ("late", "early_leave", "absent", "off_post")
HELD = "~held"                                        # the pseudo-session of a 顶岗 mark


@dataclass
class Line:
    """One clerk's line: per day the session marks (kinds), the month's figures and whether any is provisional."""

    clerk: str
    name: str
    department: str | None
    days: dict = field(default_factory=dict)          # ISO day -> [[kind, ...] per session, in session order]
    tallies: dict = field(default_factory=lambda: dict.fromkeys(TALLIES, 0))
    scheduled: int = 0
    attended: int = 0
    leave_days: float = 0.0
    provisional: bool = False


def month_register(config, first, last, *, clerks, rows, summary, today):
    """The lines of *clerks* (Clerk records, in order) for dates *first*..*last*.

    *rows* maps a projection table (attendance, violations, holdings) to its derived rows; *summary*
    is :meth:`hub.store.reports.Reports.attendance_summary`'s lines (应出勤, 实出勤, leave days). A duty begun
    by *today* with no verdict yet is ``unknown`` (R3: a silent terminal is unknown, never absent).
    """
    lines = {c.id: Line(c.id, c.name, c.department) for c in clerks}
    sessions = {}                                     # (clerk, day, session) -> set of kinds
    for duty in schedule(config, first, last):
        if duty.clerk in lines:
            kinds = sessions.setdefault((duty.clerk, duty.start.date().isoformat(), duty.session), set())
            if duty.start.date() <= today:
                kinds.add("unknown")
    for row in rows.get("attendance", ()):
        kinds = sessions.setdefault((row["clerk"], row["day"], row["session"]), set())
        kinds.discard("unknown")
        kinds.add(row["status"])
        if row["early_leave"]:
            kinds.add("early_leave")
        _note(lines, row)
    for row in rows.get("violations", ()):
        if row["kind"] == "off_post" and row["clerk"] in lines:
            sessions.setdefault((row["clerk"], row["day"], row["session"]), set()).add("off_post")
    for row in rows.get("violations", ()):
        if row["kind"] in TALLIES and row["clerk"] in lines:
            lines[row["clerk"]].tallies[row["kind"]] += 1
    _extra_days(lines, rows, sessions)
    hall_sessions = {s.name for s in config.sessions}
    for (clerk, day, session), kinds in sorted(sessions.items(), key=lambda item: _session_order(config, item[0])):
        if clerk in lines and kinds:
            if session not in hall_sessions and session != HELD:      # an approved overtime span (R10)
                kinds.add("overtime")
            lines[clerk].days.setdefault(day, []).append([k for k in MARK_ORDER if k in kinds])
    for line in summary:
        if line["clerk"] in lines:
            mine = lines[line["clerk"]]
            mine.scheduled, mine.attended, mine.leave_days = line["scheduled"], line["attended"], line["leave_days"]
            mine.provisional |= line["provisional"]
    return list(lines.values())


def _note(lines, row):
    if row["clerk"] in lines:
        lines[row["clerk"]].provisional |= row["provisional"]


def _extra_days(lines, rows, sessions):
    """Mark 顶岗: a post held on a day the clerk was not scheduled (Y AB岗: the B post steps in)."""
    scheduled_days = {(clerk, day) for clerk, day, _ in sessions}
    for row in rows.get("holdings", ()):
        if row["clerk"] in lines and (row["clerk"], row["day"]) not in scheduled_days:
            sessions.setdefault((row["clerk"], row["day"], HELD), set()).add("covered")


def _session_order(config, key):
    """Sort key: clerk, day, then the session's place in the hall's day (extra marks last)."""
    clerk, day, session = key
    names = [s.name for s in config.sessions]
    return clerk, day, names.index(session) if session in names else len(names), session


def month_days(first, last):
    """Every date *first*..*last*."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def day_marks(line, day):
    """The session marks of *line* on the ISO *day*: one list when every session has the same, else each."""
    cells = line.days.get(day, [])
    distinct = {tuple(kinds) for kinds in cells}
    return [list(distinct.pop())] if len(distinct) == 1 and len(cells) > 1 else cells

