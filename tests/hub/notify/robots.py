"""Receivers for the tests: a real HTTP server on 127.0.0.1 that records each request, answers as told and
counts what it received by idempotency key (as a receiver that dedupes would)."""
import json
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from hub.alert_change import AlertChange
from tests import servers

OK = (200, {"errcode": 0, "errmsg": "ok"})


class Recorder:
    """What one fake receiver got: requests as dicts, and its answers to come (default: *ok*)."""

    def __init__(self, ok=OK):
        self.requests, self.answers, self.ok = [], [], ok
        self.down = False

    @property
    def keys(self):
        """How many times each idempotency key arrived (a request it did not answer with success counts not)."""
        return Counter(r["headers"].get("X-HallPost-Idempotency-Key") for r in self.requests if r["took"])

    def taken(self):
        """The JSON bodies of the requests answered with success."""
        return [r["json"] for r in self.requests if r["took"]]


def _handler(recorder):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status, data = (503, {"error": "down"}) if recorder.down else \
                (recorder.answers.pop(0) if recorder.answers else recorder.ok)
            parts = urlsplit(self.path)
            recorder.requests.append({"path": parts.path, "query": parse_qs(parts.query), "raw_query": parts.query,
                                      "headers": self.headers, "body": body, "json": json.loads(body),
                                      "took": status == 200 and data.get("errcode", 0) == 0})
            servers.reply_json(self, status, data)

        def log_message(self, *args):
            pass
    return Handler


@contextmanager
def receiving(ok=OK):
    """A Recorder served on 127.0.0.1: yields (recorder, base URL)."""
    recorder = Recorder(ok)
    with servers.serving(servers.http_server(_handler(recorder))) as httpd:
        yield recorder, servers.url_of(httpd)


def change(key="hall/window_empty/w03/1", state="firing", *, hall="hall", kind="window_empty", window="w03",
           department="民政", summary="w03 窗口无人", started_at="2026-11-24T00:00:00+00:00", ended_at=None):
    """An AlertChange for the tests (firing unless *state* says otherwise)."""
    if state == "resolved" and ended_at is None:
        ended_at = "2026-11-24T00:10:00+00:00"
    return AlertChange(key=key, state=state, hall=hall, kind=kind, window=window, department=department,
                       clerks=("c01",), started_at=started_at, ended_at=ended_at, summary=summary,
                       link=f"/admin/wall#{window}")
