"""Summaries over the projections: monthly attendance per clerk (R8), case counts and ratings (R5, R6)."""
import json
import threading
from calendar import monthrange
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from protocol.hall import LEAVE_KINDS
from protocol.people import leave_sessions, schedule

ATTENDANCE_STATUSES = ("on_time", "not_early", "late", "absent", "leave")
PRESENT = ("on_time", "not_early", "late")
DUTIES_KEPT = 512              # (hall config, span) schedules kept: a city's halls, a few months each
_duties = {}
_duties_lock = threading.Lock()
VIOLATION_KINDS = ("late", "early_leave", "absent", "off_post", "empty_window")


def _line(clerk):
    """An empty monthly line for *clerk* (``halls``: the halls whose config names them)."""
    return {"clerk": clerk.id, "name": clerk.name, "department": clerk.department, "halls": [],
            "scheduled": 0, "attended": 0,
            **{s: 0 for s in ATTENDANCE_STATUSES}, **{f"{k}_violations": 0 for k in VIOLATION_KINDS},
            "empty_window_s": 0, "leave_days": 0.0, **{f"leave_{k}": 0.0 for k in LEAVE_KINDS}, "overtime_hours": 0.0,
            "provisional": False}


class Reports:
    """Aggregate queries over the projections as derived so far, for the office's reports."""

    def __init__(self, conn, configs, terminals):
        self.conn, self.configs, self.terminals = conn, configs, terminals

    def attendance_summary(self, start, end, *, hall=None):
        """Per clerk over ISO days *start*..*end* (R8 一月一汇总): sessions scheduled (应出勤) and attended
        (实出勤), sessions per verdict, each violation count, empty-window seconds charged to the clerk, leave
        days by kind.

        A person's session counts once, whatever windows they were scheduled at (R2). Attended means signed in
        (or held a post) in a session that was neither leave nor 旷工. Empty-window time is charged per minute to
        the clerk responsible then (R4). A line is ``provisional`` while a window of the clerk's duties has not
        been heard past the duty's session, or any row behind it is provisional.

        Of *hall*'s clerks and windows, or (None) of every hall's: a clerk of two halls has one line, a session
        of theirs counted once by its day and name.
        """
        halls, heard = self._halls(hall), self.terminals.heard_by_hall(hall)
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        lines, sessions = {}, {}
        for its, config in halls.items():
            for cid, clerk in config.clerks.items():
                lines.setdefault(cid, _line(clerk))["halls"].append(its)
                sessions.setdefault(cid, {status: set() for status in (*ATTENDANCE_STATUSES, "scheduled", "held",
                                                                      *(f"leave_{k}" for k in LEAVE_KINDS))})
            self._scheduled(config, heard.get(its, {}), first, last, sessions, lines)
        for row, provisional in self._projected("attendance", start, end, hall):
            if row["clerk"] in lines and row["status"] in ATTENDANCE_STATUSES:
                sessions[row["clerk"]][row["status"]].add((row["date"], row["session"]))
                lines[row["clerk"]]["provisional"] |= provisional
        self._held_sessions(halls, start, end, sessions, lines, hall)
        self._violation_counts(start, end, lines, hall)
        for cid, line in lines.items():
            mine = sessions[cid]
            line.update({status: len(mine[status]) for status in ATTENDANCE_STATUSES})
            line["scheduled"] = len(mine["scheduled"])
            line.update({f"leave_{kind}": len(mine[f"leave_{kind}"]) / 2 for kind in LEAVE_KINDS})
            line["leave_days"] = len(set().union(*(mine[f"leave_{kind}"] for kind in LEAVE_KINDS))) / 2
            present = set().union(mine["held"], *(mine[status] for status in PRESENT))
            line["attended"] = len(present - mine["absent"] - mine["leave"])
        self._add_overtime_hours(lines, start, end, hall)
        return list(lines.values())

    def _halls(self, hall):
        """{hall id: current config} of *hall*, or of every hall when None."""
        return self.configs.every() if hall is None else {hall: self.configs.hall(hall)}

    def _scheduled(self, config, heard, first, last, sessions, lines):
        """Add the duties of *config*'s hall (its windows *heard* up to: :meth:`Terminals.heard`) of dates
        *first*..*last* to each clerk's ``scheduled``, and the sessions of its approved leave (a leave entered in
        two halls of the clerk's counts once per day and session: R9 counts days, two sessions to a day)."""
        for clerk, (scheduled, closes) in _duties_of(config, first, last).items():
            if clerk in lines:
                sessions[clerk]["scheduled"] |= scheduled
                lines[clerk]["provisional"] |= any(w not in heard or heard[w] < c for w, c in closes.items())
        for leave in config.leave:
            if leave.clerk in lines and config.is_approved(leave):
                sessions[leave.clerk][f"leave_{leave.kind}"].update(leave_sessions(config, leave, first, last))

    def _add_overtime_hours(self, lines, start, end, hall):
        """R10: each clerk's approved overtime hours, counted from actual presence within the approved spans."""
        seconds = dict.fromkeys(lines, 0)
        for row, provisional in self._projected("overtime", start, end, hall):
            if row["clerk"] in lines:
                seconds[row["clerk"]] += row.get("present_seconds") or 0
                lines[row["clerk"]]["provisional"] |= provisional
        for clerk, line in lines.items():
            line["overtime_hours"] = round(seconds[clerk] / 3600, 2)

    def _projected(self, table, start, end, hall=None):
        """(row with its ``hall``, provisional) of every projected row of *table* on ISO days *start*..*end*."""
        for body, its, provisional in self.conn.execute(
                "SELECT row, hall, provisional FROM projections WHERE tbl = ? AND day BETWEEN ? AND ? "
                "AND (? IS NULL OR hall = ?)", (table, start, end, hall, hall)):
            yield dict(json.loads(body), hall=its), bool(provisional)

    def _held_sessions(self, halls, start, end, sessions, lines, hall):
        """Add to each clerk's ``held`` the (ISO day, session) in which they held a window's post."""
        for row, provisional in self._projected("holdings", start, end, hall):
            config = halls.get(row["hall"])
            if row["clerk"] not in lines or config is None:
                continue
            held_from, held_to = datetime.fromisoformat(row["start"]), datetime.fromisoformat(row["end"])
            for session, s, e in config.sessions_on(held_from.astimezone(config.tz).date()):
                if held_from < e and s < held_to:
                    sessions[row["clerk"]]["held"].add((s.date().isoformat(), session.name))
                    lines[row["clerk"]]["provisional"] |= provisional

    def _violation_counts(self, start, end, lines, hall):
        """Count each clerk's violations; an empty window's seconds go to whom they were charged (R4)."""
        for row, provisional in self._projected("violations", start, end, hall):
            if row["kind"] not in VIOLATION_KINDS:
                continue
            pieces = (row.get("charged_to") or []) if row["kind"] == "empty_window" else [{"clerk": row["clerk"]}]
            for clerk in {piece["clerk"] for piece in pieces if piece["clerk"] in lines}:
                lines[clerk][f"{row['kind']}_violations"] += 1
                lines[clerk]["provisional"] |= provisional
            for piece in pieces:
                if piece["clerk"] in lines and row["kind"] == "empty_window":
                    lines[piece["clerk"]]["empty_window_s"] += piece["seconds"]

    def absent_sessions(self, start, end, *, hall=None):
        """{clerk: sessions judged 旷工 (absent) over ISO days *start*..*end*}, of *hall* (None: every hall): the
        ``absent`` of :meth:`attendance_summary` (a session once, by its day and name), read from the absent rows
        alone (no schedule)."""
        sessions = defaultdict(set)
        for clerk, body in self.conn.execute(
                "SELECT clerk, row FROM projections WHERE tbl = 'attendance' AND kind = 'absent' "
                "AND day BETWEEN ? AND ? AND (? IS NULL OR hall = ?)", (start, end, hall, hall)):
            row = json.loads(body)
            sessions[clerk].add((row["date"], row["session"]))
        return Counter({clerk: len(mine) for clerk, mine in sessions.items()})

    def month_attendance(self, year, month, *, hall=None):
        """:meth:`attendance_summary` for one calendar month."""
        first = date(year, month, 1)
        last = date(year, month, monthrange(year, month)[1])
        return self.attendance_summary(first.isoformat(), last.isoformat(), hall=hall)

    def service_summary(self, start, end, *, by="window", hall=None):
        """Finished services per window with its ``hall`` (or per clerk with the ``halls`` of their windows,
        ``by="clerk"``), of *hall* or every hall: count, rated, average, share satisfied (from each hall's
        ``rules.satisfied_min_score``). A rating whose appeal was upheld (申诉成立) counts as a service, not a
        rating."""
        if by not in ("window", "clerk"):
            raise ValueError(f"by: must be 'window' or 'clerk', got {by!r}")
        who = 'p."window"' if by == "window" else "p.clerk"
        rows = self.conn.execute(
            f"SELECT p.hall, {who}, COUNT(*), COUNT(CASE WHEN a.hall IS NULL THEN p.kind END), "
            "SUM(CASE WHEN a.hall IS NULL THEN CAST(p.kind AS DOUBLE PRECISION) END), "
            "SUM(CASE WHEN a.hall IS NULL AND CAST(p.kind AS INTEGER) >= 3 THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN a.hall IS NULL AND CAST(p.kind AS INTEGER) >= 4 THEN 1 ELSE 0 END), MAX(p.provisional) "
            f"FROM projections p {_UPHELD_JOIN} WHERE p.tbl = 'services' AND p.day BETWEEN ? AND ? "
            f"AND (? IS NULL OR p.hall = ?) GROUP BY p.hall, {who} ORDER BY {who}, p.hall", (start, end, hall, hall))
        halls, heard = self._halls(hall), self.terminals.heard_by_hall(hall)
        unheard = {(its, w) for its, config in halls.items()
                   for w in _unheard_windows(config, heard.get(its, {}), end)}
        windows_of = defaultdict(set)           # clerk -> their (hall, window)s
        for its, config in halls.items():
            for window in config.windows:
                for clerk in (window.a, window.b):
                    windows_of[clerk].add((its, window.id))
        merged = {}
        for its, who_id, n, rated, total, from_3, from_4, prov in rows:
            sat = from_3 if halls[its].rules.satisfied_min_score == 3 else from_4
            key = (its, who_id) if by == "window" else who_id
            line = merged.setdefault(key, {"hall": its, "n": 0, "rated": 0, "total": 0.0, "sat": 0, "prov": False})
            line.update(n=line["n"] + n, rated=line["rated"] + rated, total=line["total"] + (total or 0),
                        sat=line["sat"] + (sat or 0), prov=line["prov"] or bool(prov))
        lines = []
        for key, m in merged.items():
            who_id = key[1] if by == "window" else key
            mine = {key} if by == "window" else windows_of[who_id]
            line = {by: who_id, "services": m["n"], "rated": m["rated"],
                    "average": m["total"] / m["rated"] if m["rated"] else None,
                    "satisfied_share": m["sat"] / m["rated"] if m["rated"] else None,
                    "provisional": m["prov"] or bool(mine & unheard)}
            lines.append(dict(line, hall=m["hall"]) if by == "window" else dict(line, halls=sorted({h for h, _ in mine})))
        return lines

    def services_by_hall_day(self, start, end):
        """{hall: {ISO day: (finished services, any of them provisional)}} over ISO days *start*..*end*, every hall
        in one query."""
        counts = defaultdict(dict)
        for its, day, n, provisional in self.conn.execute(
                "SELECT hall, day, COUNT(*), MAX(provisional) FROM projections WHERE tbl = 'services' "
                "AND day BETWEEN ? AND ? GROUP BY hall, day", (start, end)):
            counts[its][day] = (n, bool(provisional))
        return counts

    def window_record(self, start, end, *, hall=None):
        """Per window of *hall* (None: every hall) over ISO days *start*..*end*, for the month's ranking: finished
        services, rated, the ratings' sum, satisfied (from the hall's ``rules.satisfied_min_score``) and bad (1–2)
        ratings, each violation's count, empty seconds, handovers and their waited seconds; ``silent`` when the hub
        has heard nothing of the window since *start*, ``provisional`` while it has not been heard past *end* or a
        row of it may still change. A rating whose appeal was upheld counts as a service, not a rating."""
        lines, heard_by_hall = {}, self.terminals.heard_by_hall(hall)
        upheld = {tuple(r) for r in self.conn.execute(
            "SELECT hall, \"window\", done FROM rating_appeals WHERE outcome = 'upheld' AND (? IS NULL OR hall = ?)",
            (hall, hall))}
        halls = self._halls(hall)
        for its, config in halls.items():
            heard = heard_by_hall.get(its, {})
            opens = datetime.combine(date.fromisoformat(start), time(0), config.tz)
            unheard = _unheard_windows(config, heard, end)
            for w in config.windows:
                lines[(its, w.id)] = {"hall": its, "window": w.id, "name": w.name, "services": 0, "rated": 0,
                                      "score_sum": 0, "satisfied": 0, "bad": 0, "handovers": 0, "wait_s": 0,
                                      **dict.fromkeys(VIOLATION_KINDS, 0), "empty_window_s": 0,
                                      "silent": w.id not in heard or heard[w.id] < opens,
                                      "provisional": w.id in unheard}
        for its, window, table, body, provisional in self.conn.execute(
                'SELECT hall, "window", tbl, row, provisional FROM projections WHERE tbl IN '
                "('services', 'violations', 'handovers') AND day BETWEEN ? AND ? AND (? IS NULL OR hall = ?)",
                (start, end, hall, hall)):
            line = lines.get((its, window))
            if line is not None:
                row = json.loads(body)
                rating = table == "services" and (its, window, row["done"]) not in upheld
                _count(line, table, row, halls[its].rules.satisfied_min_score if rating else None)
                line["provisional"] |= bool(provisional)
        return list(lines.values())


# a service's row joined to its rating's upheld appeal (申诉成立), if any: such a rating leaves the statistics
_UPHELD_JOIN = ('LEFT JOIN rating_appeals a ON a.hall = p.hall AND a."window" = p."window" AND a.done = p.at '
                "AND a.outcome = 'upheld'")


def _duties_of(config, first, last):
    """{clerk: ((ISO day, session) of each duty, {window: when the last duty there closes})} of *config*'s
    schedule over dates *first*..*last*: kept per config version and span (a stored version never changes, and
    a month's schedule of a city's halls takes a second to lay out)."""
    key = (id(config), first, last)
    kept = _duties.get(key)
    if kept is not None and kept[0] is config:
        return kept[1]
    duties = {}
    for duty in schedule(config, first, last):
        scheduled, closes = duties.setdefault(duty.clerk, (set(), {}))
        scheduled.add((duty.start.date().isoformat(), duty.session))
        closes[duty.window] = max(closes.get(duty.window, duty.closes), duty.closes)
    with _duties_lock:
        while len(_duties) >= DUTIES_KEPT:
            _duties.pop(next(iter(_duties)))
        _duties[key] = (config, duties)
    return duties


def _unheard_windows(config, heard, end):
    """Ids of *config*'s windows the hub has not heard (*heard*: :meth:`Terminals.heard`) past the end of ISO day
    *end* (R3: unknown is not empty)."""
    closes = datetime.combine(date.fromisoformat(end) + timedelta(days=1), time(0), config.tz)
    return {w.id for w in config.windows if w.id not in heard or heard[w.id] < closes}


def _count(line, table, row, satisfied_min):
    """Add one projected *row* of *table* to a window's monthly *line*; a service's rating counts from
    *satisfied_min* as satisfied, and not at all when *satisfied_min* is None (its appeal was upheld)."""
    if table == "services":
        line["services"] += 1
        score = row.get("score")
        if score is not None and satisfied_min is not None:
            line["rated"] += 1
            line["score_sum"] += int(score)
            line["satisfied"] += int(score) >= satisfied_min
            line["bad"] += int(score) <= 2
    elif table == "violations" and row["kind"] in VIOLATION_KINDS:
        line[row["kind"]] += 1
        if row["kind"] == "empty_window":
            line["empty_window_s"] += row.get("seconds") or 0
    elif table == "handovers":
        line["handovers"] += 1
        line["wait_s"] += row.get("wait_seconds") or 0
