"""Inspections' snapshots (R7 两督查、两抽查), one per day and slot.

When they fall due is the hub's policy (:mod:`hub.inspections`), not the store's.
"""
import json

from .rows import rows
from .times import utc_iso


class Inspections:
    """The inspections table."""

    def __init__(self, conn):
        self.conn = conn

    def add(self, *, day, slot, kind, due_at, taken_at, taken_by, snapshot):
        """Keep an inspection's snapshot (times as aware datetimes); return False when the slot was taken."""
        with self.conn.transaction():
            cur = self.conn.execute(
                "INSERT INTO inspections (day, slot, kind, due_at, taken_at, taken_by, snapshot) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, slot) DO NOTHING",
                (day, slot, kind, utc_iso(due_at), utc_iso(taken_at), taken_by,
                 json.dumps(snapshot, ensure_ascii=False)))
        return cur.rowcount == 1

    def slots(self, day):
        """The slots already taken on *day* (ISO date)."""
        return {row[0] for row in self.conn.execute("SELECT slot FROM inspections WHERE day = ?", (day,))}

    def of_day(self, day):
        """The inspections of *day* (ISO date) in time order, snapshots decoded."""
        taken = rows(self.conn.execute(
            "SELECT id, day, slot, kind, due_at, taken_at, taken_by, snapshot FROM inspections "
            "WHERE day = ? ORDER BY due_at, id", (day,)))
        for row in taken:
            row["snapshot"] = json.loads(row["snapshot"])
        return taken
