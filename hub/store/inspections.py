"""Inspections (R7 两督查、两抽查): each one's snapshot of the windows, one per day and slot, and the inspector's
sheet per window (在岗, 着装, 台面整洁, 服务态度, a note), correctable until the inspection is closed.

When they fall due is the hub's policy (:mod:`hub.inspections`), not the store's.
"""
import json

from .errors import InspectionClosed
from .rows import one, rows
from .times import utc_iso

# Migration 9: the sheets, and an inspection's closing. A judgement is 1 (in order), 0 (a problem) or NULL (not
# judged: nobody at the window to be dressed or to serve).
SHEETS_SCHEMA = """
ALTER TABLE inspections ADD COLUMN closed_at TEXT;
ALTER TABLE inspections ADD COLUMN closed_by TEXT;
CREATE TABLE inspection_sheets (
    hall TEXT NOT NULL REFERENCES halls (id),
    inspection BIGINT NOT NULL REFERENCES inspections (id),
    "window" TEXT NOT NULL,
    clerk TEXT,
    present INTEGER NOT NULL CHECK (present IN (0, 1)),
    dress INTEGER CHECK (dress IN (0, 1)),
    desk INTEGER NOT NULL CHECK (desk IN (0, 1)),
    attitude INTEGER CHECK (attitude IN (0, 1)),
    note TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (inspection, "window")
);
CREATE INDEX inspection_sheets_hall ON inspection_sheets (hall, inspection);
"""
SHEET_FIELDS = ("clerk", "present", "dress", "desk", "attitude", "note")
COLUMNS = "id, hall, day, slot, kind, due_at, taken_at, taken_by, snapshot, closed_at, closed_by"


def _decoded(row):
    if row is not None:
        row["snapshot"] = json.loads(row["snapshot"])
    return row


class Inspections:
    """The inspections and inspection_sheets tables."""

    def __init__(self, conn):
        self.conn = conn

    def add(self, *, hall, day, slot, kind, due_at, taken_at, taken_by, snapshot):
        """Keep an inspection's snapshot of *hall* (times as aware datetimes); return its id, or None when the slot
        was taken."""
        with self.conn.transaction():
            taken = self.conn.execute(
                "INSERT INTO inspections (hall, day, slot, kind, due_at, taken_at, taken_by, snapshot) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hall, day, slot) DO NOTHING RETURNING id",
                (hall, day, slot, kind, utc_iso(due_at), utc_iso(taken_at), taken_by,
                 json.dumps(snapshot, ensure_ascii=False))).fetchone()
        return None if taken is None else taken[0]

    def slots(self, day, hall=None):
        """The slots of *hall* (None: of any hall) already taken on *day* (ISO date)."""
        return {row[0] for row in self.conn.execute(
            "SELECT slot FROM inspections WHERE day = ? AND (? IS NULL OR hall = ?)", (day, hall, hall))}

    def of_day(self, day, hall=None):
        """The inspections of *day* (ISO date) of *hall* (None: every hall) in time order, with their ``hall``,
        snapshots decoded."""
        taken = rows(self.conn.execute(
            f"SELECT {COLUMNS} FROM inspections WHERE day = ? AND (? IS NULL OR hall = ?) ORDER BY due_at, hall, id",
            (day, hall, hall)))
        return [_decoded(row) for row in taken]

    def get(self, inspection, hall=None):
        """The inspection *inspection* (id) if it is of *hall* (None: any hall), snapshot decoded; else None."""
        return _decoded(one(self.conn.execute(f"SELECT {COLUMNS} FROM inspections WHERE id = ? "
                                              "AND (? IS NULL OR hall = ?)", (inspection, hall, hall))))

    def _hold_open(self, inspection, hall):
        """Inside a transaction: lock the inspection's row while it is open; InspectionClosed when it is not."""
        held = self.conn.execute("UPDATE inspections SET closed_at = closed_at WHERE id = ? AND hall = ? "
                                 "AND closed_at IS NULL RETURNING id", (inspection, hall)).fetchone()
        if held is None:
            raise InspectionClosed(f"inspection {inspection}: closed (or not of hall {hall!r}); sheets stay as they "
                                   "were")

    def save_sheet(self, *, hall, inspection, window, sheet, saved_by, saved_at):
        """File or correct *window*'s sheet (a dict of :data:`SHEET_FIELDS`) of an open inspection of *hall*;
        return True when it corrected one filed before. InspectionClosed when the inspection is closed."""
        values = tuple(sheet[field] for field in SHEET_FIELDS)
        with self.conn.transaction():
            self._hold_open(inspection, hall)
            corrected = self.conn.execute('SELECT 1 FROM inspection_sheets WHERE inspection = ? AND "window" = ?',
                                          (inspection, window)).fetchone() is not None
            self.conn.execute(
                'INSERT INTO inspection_sheets (hall, inspection, "window", clerk, present, dress, desk, attitude, '
                "note, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                'ON CONFLICT (inspection, "window") DO UPDATE SET clerk = excluded.clerk, present = excluded.present, '
                "dress = excluded.dress, desk = excluded.desk, attitude = excluded.attitude, note = excluded.note, "
                "saved_by = excluded.saved_by, saved_at = excluded.saved_at",
                (hall, inspection, window, *values, saved_by, utc_iso(saved_at)))
        return corrected

    def close(self, *, hall, inspection, closed_by, closed_at):
        """Close an open inspection of *hall*: its sheets are final. InspectionClosed when it was closed already."""
        with self.conn.transaction():
            self._hold_open(inspection, hall)
            self.conn.execute("UPDATE inspections SET closed_at = ?, closed_by = ? WHERE id = ?",
                              (utc_iso(closed_at), closed_by, inspection))

    def sheets(self, inspection):
        """The sheets of *inspection*, keyed by window."""
        return {row["window"]: row for row in rows(self.conn.execute(
            f'SELECT "window", {", ".join(SHEET_FIELDS)}, saved_by, saved_at FROM inspection_sheets '
            "WHERE inspection = ?", (inspection,)))}

    def sheets_between(self, first, last, hall=None):
        """Every sheet of the inspections of ISO days *first*..*last* of *hall* (None: every hall), each with its
        inspection's ``hall``, ``day``, ``kind`` and ``taken_at``, in time order."""
        return rows(self.conn.execute(
            f'SELECT s.hall, s.inspection, s."window", {", ".join("s." + f for f in SHEET_FIELDS)}, s.saved_by, '
            "s.saved_at, i.day, i.kind, i.taken_at, i.closed_at FROM inspection_sheets s "
            "JOIN inspections i ON i.id = s.inspection WHERE i.day BETWEEN ? AND ? AND (? IS NULL OR s.hall = ?) "
            'ORDER BY i.taken_at, s.inspection, s."window"', (first, last, hall, hall)))
