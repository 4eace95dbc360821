"""Delivering the outbox: due messages leased, sent outside any transaction, recorded; failures retried with
exponential backoff and jitter, capped, until the message is :attr:`RetryPolicy.give_up_s` old (then failed,
shown on /admin/notify). A worker that dies mid-send leaves a lease that runs out: the message goes again with
the same idempotency key, so the receiver can tell it has it already.
"""
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..background import BackgroundLoop
from .message import message_of
from .receiver import DeliveryError
from .receivers import receiver_of
from .routing import quiet_until, silenced_until

log = logging.getLogger(__name__)

DEFAULT_REPEAT_S = 4 * 3600         # Alertmanager's repeat_interval default, for a message whose route is gone
STOP_TIMEOUT_S = 15


@dataclass(frozen=True)
class RetryPolicy:
    """Retry after ``base_s``·2ⁿ⁻¹ s (n: attempts so far), capped at ``cap_s``, the second half of each wait
    drawn at random (jitter); give up once a message is ``give_up_s`` old; a lease lasts ``lease_s``."""

    base_s: float = 5.0
    cap_s: float = 300.0
    give_up_s: float = 6 * 3600.0
    lease_s: float = 60.0

    def retry_at(self, row, now, rng=random):
        """When *row* (after its latest attempt failed at *now*) goes again, or None: it has been tried long enough."""
        if now - datetime.fromisoformat(row["created_at"]) >= timedelta(seconds=self.give_up_s):
            return None
        wait = min(self.cap_s, self.base_s * 2 ** (row["attempts"] - 1))
        return now + timedelta(seconds=wait / 2 + rng.uniform(0, wait / 2))


def deliver_due(store, *, policy=RetryPolicy(), rng=random, base_url="", limit=20):
    """Send the outbox's due messages now, *limit* leased at a time until none is due; return how many were sent
    (a failed or held message is due later, so each is tried once a call)."""
    now = store.now()
    routes = {route["id"]: route for route in store.notify.routes()}
    silences = store.notify.silences(since=now)
    halls = {}

    def hall(hall_id):
        if hall_id not in halls:
            try:
                halls[hall_id] = store.configs.hall(hall_id)
            except LookupError:
                halls[hall_id] = None
        return halls[hall_id]

    def hold(row):
        config = hall(row["hall"])
        ends = [quiet_until(routes.get(row["route"]), now, config.tz) if config else None,
                silenced_until(silences, row["change"], now)]
        return max(filter(None, ends), default=None)

    sent = 0
    while rows := store.outbox.claim(lease_s=policy.lease_s, limit=limit, hold=hold):
        sent += sum(_deliver(store, row, routes.get(row["route"]), hall(row["hall"]), policy, rng, base_url)
                    for row in rows)
    return sent


def _deliver(store, row, route, config, policy, rng, base_url):
    """Send one leased *row*; record the outcome; 1 when it was sent, else 0."""
    stored = store.notify.receiver(row["receiver"])
    try:
        if stored is None:
            raise DeliveryError(f"receiver {row['receiver']!r} was removed")
        message = message_of(row, language=stored["language"], tz=config.tz if config else timezone.utc,
                             hall_name=config.name if config else row["hall"], base_url=base_url)
        receiver_of(stored).send(message)
    except (DeliveryError, ValueError) as exc:
        now = store.now()
        retry = policy.retry_at(row, now, rng) if stored is not None else None
        with store.transaction():
            store.outbox.failed(row, str(exc), retry)
            if stored is not None:
                store.notify.record_error(row["receiver"], str(exc), now)
        log.warning("notify: %s to %s failed (attempt %d): %s", row["idempotency"], row["receiver"],
                    row["attempts"], exc)
        return 0
    with store.transaction():
        store.outbox.sent(row, route["repeat_s"] if route else DEFAULT_REPEAT_S)
        store.notify.record_success(row["receiver"], store.now())
    return 1


class DeliveryWorker(BackgroundLoop):
    """A thread delivering the outbox every *interval_s* seconds, or at once when woken (the sink wakes it after a
    put in this process), on its own connection (one per hub process)."""

    name = "hub-notify"
    stop_timeout_s = STOP_TIMEOUT_S         # a send in progress times out first

    def __init__(self, database, *, clock=None, interval_s=1.0, policy=RetryPolicy(), base_url=""):
        super().__init__(database, clock=clock, interval_s=interval_s)
        self.policy, self.base_url, self.sent = policy, base_url, 0

    def round(self, store):
        """Deliver every message due now."""
        self.sent += deliver_due(store, policy=self.policy, base_url=self.base_url)
