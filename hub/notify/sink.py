"""The alert rules' sink: each change recorded with its messages in the outbox, durably, before put returns."""
from dataclasses import asdict

from ..alert_change import FIRING, RESOLVED
from .routing import receivers_for


class OutboxSink:
    """An :class:`~hub.alert_change.AlertSink` on *store*: routes matched now, messages sent by the worker
    (*wake*, when given, is called after each put: the worker of this process delivers at once)."""

    def __init__(self, store, wake=None):
        self.store, self.wake = store, wake

    def put(self, change):
        """Record *change* and queue one message per receiver its routes name (a change put twice: once)."""
        if change.state not in (FIRING, RESOLVED):
            raise ValueError(f"alert change: state {change.state!r} is not {FIRING!r} or {RESOLVED!r}")
        record = asdict(change)
        self.store.outbox.put(record, receivers_for(self.store.notify.routes(), record))
        if self.wake is not None:
            self.wake()
