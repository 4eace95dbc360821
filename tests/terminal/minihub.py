"""A minimal real hub over HTTP on 127.0.0.1 for the sync tests: verifies signatures, stores facts once.

It speaks the terminal API of the brief (POST /api/v1/facts, GET /api/v1/config with ETag, hub_time in
every answer) and can misbehave on demand: ``mode`` = "ok", "500", "busy" (503 with ``Retry-After:
retry_after_s``, as the hub answers when its database is busy), "garbage", "hang" (holds the request until
``release`` is set), "reject" (400 naming a fact), or be stopped and started again on the same port.
"""
import json
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from protocol.errors import WireError
from protocol.wire import NonceRegistry, parse_batch, verify

KEY = bytes.fromhex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that gave up (timeout) is expected here; anything else is re-raised loudly."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class MiniHub:
    def __init__(self, *, config_document=None, etag="v1"):
        self.held = {}                 # seq -> fact dict
        self.deliveries = {}           # seq -> times received
        self.requests = []             # (method, path, status)
        self.statuses = []             # the status dict of each accepted batch
        self.mode = "ok"
        self.retry_after_s = 1
        self.release = threading.Event()
        self.config_document, self.etag = config_document, etag
        self.nonces = NonceRegistry()
        self.lock = threading.Lock()
        self.port = 0
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def acked(self):
        seq = 0
        while seq + 1 in self.held:
            seq += 1
        return seq

    def start(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                hub.handle(self)

            do_GET = do_POST

        self.server = _Server(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request):
        body = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        mode = self.mode
        if mode == "hang":
            self.release.wait(30)
        elif mode == "500":
            return self.answer(request, 500, {"error": "hub broke"})
        elif mode == "busy":
            return self.answer(request, 503, {"error": "database: busy (a deadlock with another transaction)"},
                               {"Retry-After": str(self.retry_after_s)})
        elif mode == "garbage":
            return self.answer(request, 200, b"<html>proxy login</html>")
        now = datetime.now(timezone.utc)
        try:
            terminal = verify(KEY, request.command, request.path, request.headers, body, now=now.timestamp(),
                              nonces=self.nonces)
        except WireError as exc:
            return self.answer(request, 401, {"error": str(exc)})
        if request.command == "GET":
            return self.config(request)
        if mode == "reject":
            return self.answer(request, 400, {"error": "facts[0].post: must be \"A\" or \"B\", got 'C'"})
        try:
            batch = parse_batch(body, terminal)
        except WireError as exc:
            return self.answer(request, 400, {"error": str(exc)})
        with self.lock:
            for fact in batch.facts:
                self.deliveries[fact.seq] = self.deliveries.get(fact.seq, 0) + 1
                self.held.setdefault(fact.seq, fact.as_dict())
            self.statuses.append(batch.status)
            acked = self.acked()
        self.answer(request, 200, {"acked": acked})

    def config(self, request):
        if self.config_document is None:
            return self.answer(request, 404, {"error": "no config"})
        if request.headers.get("If-None-Match") == f'"{self.etag}"':
            return self.answer(request, 304, None, {"ETag": f'"{self.etag}"'})
        self.answer(request, 200, {"config": self.config_document}, {"ETag": f'"{self.etag}"'})

    def answer(self, request, status, data, headers=None):
        self.requests.append((request.command, request.path, status))
        if isinstance(data, bytes):
            raw = data
        elif data is None:
            raw = b""
        else:
            raw = json.dumps({**data, "hub_time": datetime.now(timezone.utc).isoformat()}).encode()
        request.send_response(status)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(raw)))
        request.end_headers()
        request.wfile.write(raw)
