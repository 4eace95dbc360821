"""Summaries over the projections: monthly attendance per clerk (R8), case counts and ratings (R5, R6)."""
from calendar import monthrange
from datetime import date

ATTENDANCE_STATUSES = ("on_time", "not_early", "late", "absent", "leave")
VIOLATION_KINDS = ("late", "early_leave", "absent", "off_post", "empty_window")


class Reports:
    """Store mixin: aggregate queries for the office's reports (projections are refreshed first)."""

    def attendance_summary(self, start, end):
        """Per clerk over ISO days *start*..*end*: counts per status and violation, empty-window seconds.

        Empty-window time is charged to the window's A clerk (the window's owner); ``provisional`` is
        true when any row behind the line is provisional.
        """
        self.derive_dirty(start=start, end=end)
        config = self.hall()
        lines = {cid: {"clerk": cid, "name": c.name, "department": c.department, "sessions": 0,
                       **{s: 0 for s in ATTENDANCE_STATUSES}, **{f"{k}_violations": 0 for k in VIOLATION_KINDS},
                       "empty_window_s": 0, "leave_days": 0.0, "overtime_hours": 0.0, "provisional": False}
                 for cid, c in config.clerks.items()}
        owner = {w.id: w.a for w in config.windows}
        for clerk, status, count, provisional in self.conn.execute(
                "SELECT clerk, kind, COUNT(*), MAX(provisional) FROM projections WHERE tbl = 'attendance' "
                "AND day BETWEEN ? AND ? GROUP BY clerk, kind", (start, end)):
            line = lines.get(clerk)
            if line is not None and status in ATTENDANCE_STATUSES:
                line[status] += count
                line["sessions"] += count
                line["provisional"] |= bool(provisional)
        for window, clerk, kind, count, seconds, provisional in self.conn.execute(
                "SELECT window, clerk, kind, COUNT(*), SUM(json_extract(row, '$.seconds')), MAX(provisional) "
                "FROM projections WHERE tbl = 'violations' AND day BETWEEN ? AND ? GROUP BY window, clerk, kind",
                (start, end)):
            line = lines.get(clerk if clerk is not None else owner.get(window))
            if line is None or kind not in VIOLATION_KINDS:
                continue
            line[f"{kind}_violations"] += count
            line["provisional"] |= bool(provisional)
            if kind == "empty_window":
                line["empty_window_s"] += seconds or 0
        for line in lines.values():
            line["leave_days"] = line["leave"] / 2
        self._add_overtime_hours(lines, start, end)
        return list(lines.values())

    def _add_overtime_hours(self, lines, start, end):
        """R10: each clerk's approved overtime hours, counted from actual presence within the approved spans."""
        for clerk, seconds, provisional in self.conn.execute(
                "SELECT clerk, SUM(json_extract(row, '$.present_seconds')), MAX(provisional) FROM projections "
                "WHERE tbl = 'overtime' AND day BETWEEN ? AND ? GROUP BY clerk", (start, end)):
            line = lines.get(clerk)
            if line is not None:
                line["overtime_hours"] = round((seconds or 0) / 3600, 2)
                line["provisional"] |= bool(provisional)

    def month_attendance(self, year, month):
        """:meth:`attendance_summary` for one calendar month."""
        first = date(year, month, 1)
        last = date(year, month, monthrange(year, month)[1])
        return self.attendance_summary(first.isoformat(), last.isoformat())

    def service_summary(self, start, end, *, by="window"):
        """Finished services per window (or per clerk, ``by="clerk"``): count, rated, average, share satisfied."""
        if by not in ("window", "clerk"):
            raise ValueError(f"by: must be 'window' or 'clerk', got {by!r}")
        self.derive_dirty(start=start, end=end)
        rows = self.conn.execute(
            f"SELECT {by} AS who, COUNT(*), COUNT(kind), AVG(CAST(kind AS INTEGER)), "
            "SUM(CASE WHEN CAST(kind AS INTEGER) >= 4 THEN 1 ELSE 0 END), MAX(provisional) "
            "FROM projections WHERE tbl = 'services' AND day BETWEEN ? AND ? GROUP BY who ORDER BY who",
            (start, end))
        return [{by: who, "services": n, "rated": rated, "average": avg,
                 "satisfied_share": (sat / rated) if rated else None, "provisional": bool(prov)}
                for who, n, rated, avg, sat, prov in rows]
