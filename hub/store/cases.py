"""好差评 cases (issue 16): the handling steps of each 差评 (核实, 整改, 回访; its closure is
:mod:`.followups`'), and appeals of ratings (申诉复核) with the office's decision."""
import json

from .errors import AlreadyClosed, Conflict
from .rows import rows

STEPS = ("verify", "rectify", "callback")
GROUNDS = ("mistaken", "malicious", "wrong_service")
OUTCOMES = ("upheld", "rejected")
_CASE = 'hall = ? AND "window" = ? AND service = ? AND done = ?'


class Cases:
    """The case_steps and rating_appeals tables; a case is keyed by (hall, window, service, done)."""

    def __init__(self, conn):
        self.conn = conn

    def add_step(self, case, step, *, by, at, detail):
        """Record *step* of *case* (hall, window, service, done) with its *detail* (a dict); its number.
        Refused (AlreadyClosed) once the case's follow-up is closed, Conflict when another step took its number."""
        with self.conn.transaction():
            if self.conn.execute(f"SELECT 1 FROM followup_closures WHERE {_CASE}", case).fetchone():
                raise AlreadyClosed(f"case: service {case[2]} at window {case[1]} is closed; its steps are final")
            seq = self.conn.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM case_steps WHERE {_CASE}",
                                    case).fetchone()[0]
            added = self.conn.execute(
                'INSERT INTO case_steps (hall, "window", service, done, seq, step, at, by_user, detail) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING seq",
                (*case, seq, step, at, by, json.dumps(detail, ensure_ascii=False, sort_keys=True))).fetchone()
            if added is None:
                raise Conflict(f"case: service {case[2]} at window {case[1]} got another step at this moment; "
                               "reload and retry")
        return seq

    def steps(self, hall, *, window=None, service=None, done=None):
        """The steps of *hall*'s cases (of one case when window, service and done are given), in order."""
        found = rows(self.conn.execute(
            'SELECT hall, "window", service, done, seq, step, at, by_user, detail FROM case_steps WHERE hall = ? '
            'AND (? IS NULL OR "window" = ?) AND (? IS NULL OR service = ?) AND (? IS NULL OR done = ?) '
            'ORDER BY "window", service, done, seq', (hall, window, window, service, service, done, done)))
        return [dict(r, detail=json.loads(r["detail"])) for r in found]

    def file_appeal(self, case, *, grounds, reason, by, at):
        """File an appeal of *case*'s rating; Conflict when one was filed already (an appeal is decided once)."""
        with self.conn.transaction():
            filed = self.conn.execute(
                'INSERT INTO rating_appeals (hall, "window", service, done, grounds, reason, filed_by, filed_at) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING hall",
                (*case, grounds, reason, by, at)).fetchone()
            if filed is None:
                raise Conflict(f"appeal: service {case[2]} at window {case[1]} was appealed already")

    def decide_appeal(self, case, *, outcome, decision, by, at):
        """Uphold or reject *case*'s pending appeal with the reason *decision*; Conflict when none is pending."""
        with self.conn.transaction():
            decided = self.conn.execute(
                f"UPDATE rating_appeals SET outcome = ?, decision = ?, decided_by = ?, decided_at = ? "
                f"WHERE {_CASE} AND outcome IS NULL RETURNING hall", (outcome, decision, by, at, *case)).fetchone()
            if decided is None:
                raise Conflict(f"appeal: no pending appeal of service {case[2]} at window {case[1]}")

    def appeals(self, hall, *, start, end):
        """*hall*'s appeals of ratings of services done on local ISO days *start*..*end*, newest filed first."""
        return rows(self.conn.execute(
            'SELECT hall, "window", service, done, grounds, reason, filed_by, filed_at, outcome, decided_by, '
            "decided_at, decision FROM rating_appeals WHERE hall = ? AND substr(done, 1, 10) BETWEEN ? AND ? "
            "ORDER BY filed_at DESC", (hall, start, end)))

    def upheld(self, hall=None):
        """The (hall, window, service, done) of every rating whose appeal was upheld (it leaves the statistics)."""
        return {(r["hall"], r["window"], r["service"], r["done"]) for r in self.conn.execute(
            'SELECT hall, "window", service, done FROM rating_appeals WHERE outcome = \'upheld\' '
            "AND (? IS NULL OR hall = ?)", (hall, hall))}
