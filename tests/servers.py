"""Real HTTP servers on 127.0.0.1 for tests: a handler class or a WSGI app, served on a thread."""
import json
import socket
import threading
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from werkzeug.serving import make_server


@contextmanager
def serving(server):
    """Run *server* (an http.server or werkzeug server bound to 127.0.0.1) on a thread; stop it after."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port():
    """A TCP port of 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_server(handler_class):
    """An http.server for *handler_class* on a free port of 127.0.0.1 (serve it with :func:`serving`)."""
    return ThreadingHTTPServer(("127.0.0.1", 0), handler_class)


def wsgi_server(app):
    """A threaded werkzeug server for the WSGI *app* on a free port of 127.0.0.1."""
    return make_server("127.0.0.1", 0, app, threaded=True)


def url_of(server):
    """The base URL of a server made here."""
    return f"http://127.0.0.1:{server.server_address[1]}"


def reply_json(handler, status, data):
    """Answer an http.server request with *status* and *data* as JSON."""
    raw = json.dumps(data).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(raw)))
    handler.end_headers()
    handler.wfile.write(raw)
