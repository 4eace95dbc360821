"""The seam between the hub's alert rules and its notifications: an alert starting or ending, as one value,
and the sink the rules hand it to (the persisted outbox; a list in tests)."""
from dataclasses import dataclass
from typing import Protocol

FIRING, RESOLVED = "firing", "resolved"


@dataclass(frozen=True)
class AlertChange:
    """One alert's change of state: it started (``firing``) or ended (``resolved``).

    ``key`` names the incident and is the same for its firing and its resolution (hall, kind, window and
    start); ``clerks`` are the clerk ids responsible; times are ISO UTC; ``summary`` is one line in the
    hall's language; ``link`` is the hub path of the page that explains it.
    """

    key: str
    state: str
    hall: str
    kind: str
    window: str | None
    department: str | None
    clerks: tuple
    started_at: str
    ended_at: str | None
    summary: str
    link: str


class AlertSink(Protocol):
    """Where the alert rules put each change; delivering it is the sink's job."""

    def put(self, change: AlertChange) -> None:
        """Accept *change* for delivery (durably, before returning)."""
