"""Signed HTTP exchanges with the hub's terminal API, and the hub-corrected clock they are signed by.

Every request is signed per :mod:`protocol.wire` with the time ``clock.wall() + offset``, where offset is
learned from the hub's time in its last answer (JSON ``hub_time``, else the ``X-HallPost-Hub-Time`` or
``Date`` header), taken at the midpoint of the request. A 401 whose answer carries ``hub_time`` (a stale
timestamp) teaches the offset and is retried once. A 5xx is the hub away for now (HubUnreachable), with the
Retry-After of a busy hub's 503 passed on to the sync's backoff.
"""
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from protocol.wire import signed_headers

from .errors import HubRefused, HubUnreachable
from .hubhttp import HubHttp

FACTS_PATH = "/api/v1/facts"
CONFIG_PATH = "/api/v1/config"
HUB_TIME_HEADER = "X-HallPost-Hub-Time"


@dataclass(frozen=True)
class Exchange:
    """One answered request: status, headers, parsed JSON (or None), and when it happened."""

    status: int
    headers: object       # the answer's headers (case-insensitive lookups)
    data: object
    mono_ms: int          # this boot's monotonic time at the request's midpoint
    wall: datetime        # our wall clock at the midpoint
    hub_time: datetime | None


class HubLink:
    """Signed requests from one terminal to its hub."""

    def __init__(self, *, url, terminal, key, clock, timeout_s=10.0, trust=None):
        parts = urlsplit(url.rstrip("/"))
        self.origin, self.prefix = f"{parts.scheme}://{parts.netloc}", parts.path
        self.terminal, self.key, self.clock = terminal, key, clock
        self.http = HubHttp(trust, timeout_s=timeout_s)
        self.offset = timedelta(0)

    def push(self, body):
        """POST a batch body to the facts endpoint; the Exchange of a 2xx answer."""
        return self._signed("POST", FACTS_PATH, body)

    def pull_config(self, etag):
        """GET the hall config (conditional on *etag*); the Exchange of a 200 or 304 answer."""
        return self._signed("GET", CONFIG_PATH, b"", {"If-None-Match": etag} if etag else {})

    def hub_now(self):
        """Our best idea of the hub's time now."""
        return self.clock.wall() + self.offset

    def _signed(self, method, path, body, extra=None):
        exchange = self._send(method, path, body, extra)
        if exchange.status == 401 and exchange.hub_time is not None:
            exchange = self._send(method, path, body, extra)
        if exchange.status >= 400:
            raise HubRefused(f"{method} {path}: hub refused with {exchange.status}: {_reason(exchange.data)}")
        return exchange

    def _send(self, method, path, body, extra):
        full = self.prefix + path
        stamp = int(self.hub_now().timestamp())
        headers = signed_headers(self.key, self.terminal, method, full, body, timestamp=stamp,
                                 nonce=secrets.token_hex(16))
        headers.update(extra or {})
        if body:
            headers["Content-Type"] = "application/json"
        mono0, wall0 = self.clock.monotonic_ms(), self.clock.wall()
        reply = self.http.request(method, self.origin + full, body if method != "GET" else None, headers)
        status, answer, raw = reply.status, reply.headers, reply.body
        mono1, wall1 = self.clock.monotonic_ms(), self.clock.wall()
        if status >= 500:
            raise HubUnreachable(f"{method} {full}: hub failed with {status}: {raw[:300].decode(errors='replace')}",
                                 _retry_after_s(answer.get("Retry-After")))
        data = _json(raw, f"{method} {full}") if raw else None
        hub_time = _hub_time(data, answer)
        exchange = Exchange(status, answer, data, (mono0 + mono1) // 2, wall0 + (wall1 - wall0) / 2, hub_time)
        if hub_time is not None:
            self.offset = hub_time - exchange.wall
        return exchange


def _retry_after_s(value):
    """Retry-After's delay in seconds (None when absent, not a whole number of seconds, or negative)."""
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds >= 0 else None


def _json(raw, what):
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise HubUnreachable(f"{what}: hub answered something that is not JSON ({exc})") from exc


def _hub_time(data, headers):
    try:
        if isinstance(data, dict) and isinstance(data.get("hub_time"), str):
            return _aware(datetime.fromisoformat(data["hub_time"]))
        if headers.get(HUB_TIME_HEADER):
            return _aware(datetime.fromisoformat(headers[HUB_TIME_HEADER]))
        if headers.get("Date"):
            return parsedate_to_datetime(headers["Date"])
    except (ValueError, TypeError):
        return None
    return None


def _aware(moment):
    if moment.tzinfo is None:
        raise ValueError("hub_time: no UTC offset")
    return moment


def _reason(data):
    if isinstance(data, dict):
        return data.get("error") or data.get("message") or json.dumps(data, ensure_ascii=False)[:300]
    return repr(data)[:300]
