"""``hallpost hub serve`` under abuse, against the real waitress server on 127.0.0.1 (issue 11, items 1 and 5)."""
import select
import socket
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests
from werkzeug.security import generate_password_hash

from hub import serving
from hub.clock import utc_now
from hub.store import Store
from protocol.cli import main
from protocol.wire import MAX_BODY_BYTES
from tests.sse import events, lines_of, next_wall

from .admin.conftest import PASSWORD
from .admin.test_security_headers import logged_in
from .conftest import enrol_over_http
from .served import hub_serve

HUGE = 150 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]
ENROL_HEAD = b"POST /api/v1/enrol HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"


@pytest.fixture
def hub(tmp_path):
    """A served hub and its database."""
    db = tmp_path / "hub.sqlite"
    with hub_serve(db) as base:
        yield base, db


@pytest.fixture
def terminal(hub):
    """w03's terminal, enrolled over HTTP before any attack starts."""
    base, db = hub
    with Store.open(db) as store:
        client = enrol_over_http(base, store, "w03", utc_now)
    yield client
    client.close()


def connect(base):
    """A raw TCP connection to the hub at *base* (reads time out after 10 s)."""
    return socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=10)


def answer_of(sock):
    """The first bytes the hub answers on *sock* (b"" if it closed or said nothing in time)."""
    try:
        return sock.recv(4096)
    except (TimeoutError, ConnectionResetError):
        return b""


def test_idle_and_slowloris_sockets_do_not_shut_out_terminals_or_the_office(hub, terminal):
    base, _ = hub
    with ExitStack() as stack:
        idle = [stack.enter_context(connect(base)) for _ in range(150)]
        slow = [stack.enter_context(connect(base)) for _ in range(100)]
        for sock in slow:       # slowloris: a request line and a header that never ends
            sock.sendall(b"POST /api/v1/facts HTTP/1.1\r\nHost: hub\r\nX-Slow: a")
        pushed = terminal.push([])
        page = requests.get(base + "/admin/login", timeout=10)
        assert len(idle) + len(slow) == 250
    assert pushed.status_code == 200, pushed.text
    assert page.status_code == 200 and "<form" in page.text


def test_a_huge_content_length_is_refused_before_the_body_is_sent(hub):
    base, _ = hub
    with connect(base) as sock:
        sock.sendall(ENROL_HEAD + f"Content-Length: {HUGE}\r\n\r\n".encode())
        answer = answer_of(sock)        # not one byte of the 150 MiB body was sent
    assert answer.startswith(b"HTTP/1.1 413 "), answer


def test_a_body_just_within_the_wire_limit_still_reaches_the_app(hub):
    base, _ = hub
    answer = requests.post(base + "/api/v1/enrol", data=b" " * MAX_BODY_BYTES, timeout=10,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["error"]     # the app's own answer, not a 413


def test_an_endless_chunk_size_line_is_cut_off_while_others_are_served(hub):
    base, _ = hub
    with connect(base) as sock:
        sock.sendall(ENROL_HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
        sent, answered = 0, False
        while sent < 4 * MAX_BODY_BYTES and not answered:
            try:
                sock.sendall(b"f" * 65536)      # one chunk-size line that never ends
            except (BrokenPipeError, ConnectionResetError):
                break                           # the hub answered and closed: read what it said
            sent += 65536
            answered = bool(select.select([sock], [], [], 0)[0])
        clock = requests.get(base + "/api/v1/clock", timeout=10)
        answer = answer_of(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), (sent, answer)
    assert clock.status_code == 200


def test_oversize_headers_are_refused(hub):
    base, _ = hub
    answer = requests.get(base + "/admin/login", headers={"X-Padding": "p" * 40_000}, timeout=10)
    assert answer.status_code == 431


@pytest.mark.parametrize(("option", "value"), [("--connection-limit", "0"), ("--channel-timeout", "-5"),
                                               ("--max-body-bytes", "lots"), ("--trusted-proxies", "7")])
def test_nonsense_limits_are_refused_naming_the_option(tmp_path, capsys, option, value):
    with pytest.raises(SystemExit) as stopped:
        main(["hub", "serve", "--db", str(tmp_path / "h.sqlite"), option, value])
    assert stopped.value.code == 2 and option in capsys.readouterr().err
    assert not (tmp_path / "h.sqlite").exists()


def test_open_wall_streams_take_no_request_slot(tmp_path):
    """With one request slot (--threads 1) and both stream threads held by open walls, a terminal's push and a
    page are still answered: a stream holds its thread, never the slot (it computes its wall in the slot)."""
    db = tmp_path / "hub.sqlite"
    with hub_serve(db, "--threads", "1", "--wall-streams", "2") as base, ExitStack() as opened:
        with Store.open(db) as store:
            store.users.add("office", generate_password_hash(PASSWORD), "office")
            client = enrol_over_http(base, store, "w03", utc_now)
        opened.callback(client.close)
        http, _ = logged_in(base)
        for _ in range(2):
            stream = opened.enter_context(http.get(base + "/admin/wall/events", stream=True, timeout=10))
            assert stream.status_code == 200
            assert next_wall(events(lines_of(stream.iter_content(chunk_size=None)))).data["windows"]
        assert client.push([]).status_code == 200
        assert http.get(base + "/admin/wall.json", timeout=10).status_code == 200
        assert http.get(base + "/admin/wall/events", timeout=10).status_code == 503, "only two streams at once"


def test_serving_freezes_what_is_loaded_and_collects_the_young_generation_less_often():
    """In a process of its own: the collector's settings are the whole process's."""
    probe = ("import gc; from hub import serving; before = gc.get_threshold(); serving.settle_memory(); "
             "print(before[0], gc.get_threshold()[0], gc.get_threshold()[1:] == before[1:], gc.get_freeze_count() > 0)")
    answer = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60,
                            cwd=ROOT)
    assert answer.stdout.split() == ["700", str(serving.GC_YOUNG_OBJECTS), "True", "True"]
