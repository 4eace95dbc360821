"""The sync client: a thread that pushes the journal's unacked facts to the hub and pulls the config.

Each cycle asks the terminal's owner thread for up to ``batch_size`` unacked facts and the status, POSTs
them as one signed batch (an empty batch is the heartbeat), acks the journal up to what the hub says it
holds, and records a clock anchor from the answer (at most one per ``anchor_every_s``, sent at once;
an anchor per exchange would keep an idle terminal's backlog from ever emptying). A full batch is
followed at once by the next; otherwise the config is pulled (ETag) and the thread sleeps until the
heartbeat is due or a new fact wakes it. While the hub is
away it backs off exponentially with jitter up to ``backoff_cap_s`` and retries forever, logging each
failure (a busy hub's Retry-After is waited at least, up to the cap; the facts stay unacked meanwhile); a refusal (4xx) is a loud fault retried only at the cap. All waits are in the clock's time.
"""
import json
import logging
import random
import threading
from datetime import timedelta
from pathlib import Path

from protocol.errors import ConfigError
from protocol.wire import encode_batch

from .atomic import replace_file
from .errors import HubRefused, HubUnreachable
from .seams import Clock, HubLink

log = logging.getLogger(__name__)
DEFAULT_HEARTBEAT_S = 60
OWNER_TIMEOUT_S = 30          # the owner thread answers in milliseconds; longer means it is stuck


class SyncClient:
    """Moves facts from one terminal's journal to the hub, exactly once in effect."""

    def __init__(self, *, link: HubLink, clock: Clock, config_cache=None, batch_size=500, backoff_base_s=1.0,
                 backoff_cap_s=60.0, anchor_every_s=600, state_path=None, rng=None):
        self.link, self.clock, self.config_cache = link, clock, config_cache
        self.batch_size, self.backoff_base_s, self.backoff_cap_s = batch_size, backoff_base_s, backoff_cap_s
        self.anchor_every_s, self.state_path = anchor_every_s, state_path and Path(state_path)
        self.rng = rng or random.Random()
        self.owner = None
        self.unreachable_since, self.rejected, self.last_sync = None, None, None
        self.failures = 0
        self._last_anchor_mono = None
        self._stop, self._wake = threading.Event(), threading.Event()
        self._thread = None

    def attach(self, owner):
        """Work for *owner* (the Terminal: ``batch``, ``acked``, ``record_clock``, ``poke``, ``journal``)."""
        self.owner = owner
        self.unreachable_since = owner.clock.wall()

    def start(self):
        """Start the sync thread."""
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()

    def notify(self):
        """A new fact is in the journal: push soon (does not cut a backoff short)."""
        self._wake.set()

    def close(self, timeout=15.0):
        """Stop the thread (waits for a request in flight, bounded by the link's timeout); idempotent."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self):
        while not self._stop.is_set():
            try:
                more = self.cycle()
            except HubUnreachable as exc:
                self._failed(exc, logging.WARNING)
                self._sleep(self._backoff(exc.retry_after_s), wakeable=False)
                continue
            except HubRefused as exc:
                self._failed(exc, logging.ERROR)
                self.rejected = str(exc)
                self._sleep(self.backoff_cap_s, wakeable=False)
                continue
            except TimeoutError:
                log.error("the terminal's owner thread did not hand over facts within %d s", OWNER_TIMEOUT_S)
                self._sleep(self.backoff_cap_s, wakeable=False)
                continue
            except Exception as exc:  # a bug must not end syncing for good: loud, then retried at the cap
                log.exception("sync cycle failed unexpectedly")
                self.rejected = f"sync: {exc!r}"
                self.owner.poke()
                self._sleep(self.backoff_cap_s, wakeable=False)
                continue
            if not more:
                self._sleep(self._heartbeat_s(), wakeable=True)

    def cycle(self):
        """One push (and, when the backlog is drained, a config pull); True if more facts are waiting."""
        self._wake.clear()
        facts, status = self.owner.batch(self.batch_size).result(OWNER_TIMEOUT_S)
        body = encode_batch(self.owner.terminal, self.owner.journal.store_id, facts, status)
        exchange = self.link.push(body)
        acked = exchange.data.get("acked") if isinstance(exchange.data, dict) else None
        if isinstance(acked, bool) or not isinstance(acked, int):
            raise HubUnreachable(f"push: hub answer has no integer 'acked': {exchange.data!r:.200}")
        self._reached(exchange)
        self.owner.acked(acked)
        if facts and acked < facts[-1]["seq"]:
            raise HubUnreachable(f"push: hub holds facts only up to seq {acked}, {facts[-1]['seq']} was sent")
        if len(facts) >= self.batch_size:
            return True
        self.pull_config()
        self._write_state(status)
        return False

    def pull_config(self):
        """Fetch the hall config if it changed (ETag), cache it durably, and have the lamps re-judged."""
        if self.config_cache is None:
            return
        exchange = self.link.pull_config(self.config_cache.etag)
        if exchange.status == 304:
            return
        document = exchange.data.get("config", exchange.data) if isinstance(exchange.data, dict) else None
        try:
            self.config_cache.store(exchange.headers.get("ETag"), document)
        except (ConfigError, TypeError) as exc:
            raise HubRefused(f"config: the hub's configuration is not valid: {exc}") from exc
        log.info("new hall configuration (ETag %s)", exchange.headers.get("ETag"))
        self.owner.poke()

    def _reached(self, exchange):
        changed = self.unreachable_since is not None or self.rejected is not None
        self.unreachable_since, self.rejected, self.failures = None, None, 0
        self.last_sync = exchange.wall + self.link.offset
        due = self._last_anchor_mono is None or \
            exchange.mono_ms - self._last_anchor_mono >= self.anchor_every_s * 1000
        if exchange.hub_time is not None and due:
            self._last_anchor_mono = exchange.mono_ms
            self.owner.record_clock(exchange.mono_ms, exchange.wall, exchange.hub_time)
            self._wake.set()                # send the anchor without waiting for the heartbeat
        elif changed:
            self.owner.poke()

    def _failed(self, exc, level):
        self.failures += 1
        if self.unreachable_since is None:
            self.unreachable_since = self.clock.wall()
            self.owner.poke()
        log.log(level, "sync failed (%d in a row, hub away since %s): %s", self.failures,
                _iso(self.unreachable_since), exc)

    def _backoff(self, retry_after_s=None):
        """Exponential backoff with full jitter in its upper half: base·2^(n-1), capped; at least the hub's
        *retry_after_s* (up to the cap)."""
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2 ** min(self.failures - 1, 30))
        return max(ceiling * self.rng.uniform(0.5, 1.0), min(retry_after_s or 0, self.backoff_cap_s))

    def _heartbeat_s(self):
        config = self.config_cache.current() if self.config_cache is not None else None
        return config.rules.heartbeat_s if config is not None else DEFAULT_HEARTBEAT_S

    def _sleep(self, seconds, *, wakeable):
        (self._wake if wakeable else self._stop).wait(self.clock.real_seconds(seconds))

    def _write_state(self, status):
        """Leave what ``hallpost terminal status`` shows in the state file (atomic replace)."""
        if self.state_path is None:
            return
        state = dict(status, terminal=self.owner.terminal, last_sync=_iso(self.last_sync),
                     clock_offset_s=self.link.offset / timedelta(seconds=1), rejected=self.rejected)
        replace_file(self.state_path, json.dumps(state, ensure_ascii=False, indent=1).encode(), durable=False)


def _iso(moment):
    return None if moment is None else moment.isoformat(timespec="milliseconds")
