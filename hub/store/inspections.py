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

    def add(self, *, hall, day, slot, kind, due_at, taken_at, taken_by, snapshot):
        """Keep an inspection's snapshot of *hall* (times as aware datetimes); return False when the slot was taken."""
        with self.conn.transaction():
            taken = self.conn.execute(
                "INSERT INTO inspections (hall, day, slot, kind, due_at, taken_at, taken_by, snapshot) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hall, day, slot) DO NOTHING RETURNING id",
                (hall, day, slot, kind, utc_iso(due_at), utc_iso(taken_at), taken_by,
                 json.dumps(snapshot, ensure_ascii=False))).fetchone()
        return taken is not None

    def slots(self, day, hall=None):
        """The slots of *hall* (None: of any hall) already taken on *day* (ISO date)."""
        return {row[0] for row in self.conn.execute(
            "SELECT slot FROM inspections WHERE day = ? AND (? IS NULL OR hall = ?)", (day, hall, hall))}

    def of_day(self, day, hall=None):
        """The inspections of *day* (ISO date) of *hall* (None: every hall) in time order, with their ``hall``,
        snapshots decoded."""
        taken = rows(self.conn.execute(
            "SELECT id, hall, day, slot, kind, due_at, taken_at, taken_by, snapshot FROM inspections "
            "WHERE day = ? AND (? IS NULL OR hall = ?) ORDER BY due_at, hall, id", (day, hall, hall)))
        for row in taken:
            row["snapshot"] = json.loads(row["snapshot"])
        return taken
