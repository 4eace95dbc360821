"""Enrolment against a tiny real HTTP hub on 127.0.0.1 that keeps the hub's enrol contract."""

import json
import os
import stat
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from firmware.terminal.enrol import Enrolment, enrol
from firmware.terminal.errors import EnrolError, TerminalError
from tests.servers import http_server, reply_json, serving, url_of, wsgi_server

KEY = "5f" * 32
HALL_TOML = Path(__file__).resolve().parents[2] / "hardware" / "hall" / "hall.toml"


class TinyHub(ThreadingHTTPServer):
    """POST …/api/v1/enrol {"code"} -> 201 {"terminal","key","hub_time"}; 403 on a bad or used code."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), EnrolHandler)
        self.codes = {"K7Q2-M9XD": "win-03", "A1B2-C3D4": "win-04"}
        self.used = set()
        self.requests = []
        self.key = KEY

    @property
    def url(self):
        return url_of(self)


class EnrolHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        hub = self.server
        hub.requests.append((self.path, self.headers["Content-Type"], body))
        code = body.get("code")
        if not self.path.endswith("/api/v1/enrol"):
            self._reply(404, {"error": "no such endpoint"})
        elif code not in hub.codes or code in hub.used:
            self._reply(403, {"error": "unknown, used or expired enrolment code"})
        else:
            hub.used.add(code)
            self._reply(201, {"terminal": hub.codes[code], "key": hub.key, "hub_time": "2026-11-24T00:30:00+00:00"})

    def _reply(self, status, data):
        reply_json(self, status, data)

    def log_message(self, *args):
        pass


@pytest.fixture
def hub():
    with serving(TinyHub()) as server:
        yield server


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_enrol_stores_the_key_0600(hub, tmp_path):
    key_path = tmp_path / "terminal.key"
    result = enrol(hub.url, " K7Q2-M9XD\n", key_path)
    assert result == Enrolment("win-03", key_path, "2026-11-24T00:30:00+00:00")
    assert key_path.read_text() == KEY + "\n"
    assert _mode(key_path) == 0o600
    assert hub.requests == [("/api/v1/enrol", "application/json", {"code": "K7Q2-M9XD"})]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["terminal.key"]


def test_hub_under_a_path_prefix(hub, tmp_path):
    enrol(hub.url + "/hall1/", "K7Q2-M9XD", tmp_path / "terminal.key")
    assert hub.requests[0][0] == "/hall1/api/v1/enrol"


def test_a_used_code_is_refused_and_the_key_kept(hub, tmp_path):
    key_path = tmp_path / "terminal.key"
    enrol(hub.url, "K7Q2-M9XD", key_path)
    with pytest.raises(EnrolError, match=r"refused code 'K7Q2-M9XD' \(unknown, used or expired"):
        enrol(hub.url, "K7Q2-M9XD", key_path)
    assert key_path.read_text() == KEY + "\n"


def test_rotation_replaces_the_key_and_tightens_its_mode(hub, tmp_path):
    key_path = tmp_path / "terminal.key"
    key_path.write_text("00" * 32 + "\n")
    key_path.chmod(0o644)
    old_umask = os.umask(0)
    try:
        enrol(hub.url, "K7Q2-M9XD", key_path)
    finally:
        os.umask(old_umask)
    assert key_path.read_text() == KEY + "\n"
    assert _mode(key_path) == 0o600


def test_a_code_for_another_window_writes_nothing(hub, tmp_path):
    key_path = tmp_path / "terminal.key"
    with pytest.raises(EnrolError, match="terminal: code 'A1B2-C3D4' enrols 'win-04', not 'win-03'"):
        enrol(hub.url, "A1B2-C3D4", key_path, terminal_id="win-03")
    assert not key_path.exists()


@pytest.mark.parametrize(("key", "message"), [("zz" * 32, "key: not hexadecimal"), ("ab" * 4, "key: 4 bytes")])
def test_a_bad_key_from_the_hub_writes_nothing(hub, tmp_path, key, message):
    hub.key = key
    with pytest.raises(EnrolError, match=message):
        enrol(hub.url, "K7Q2-M9XD", tmp_path / "terminal.key")
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_hub_is_named(tmp_path):
    server = http_server(EnrolHandler)
    port = server.server_address[1]
    server.server_close()
    with pytest.raises(TerminalError, match=rf"127\.0\.0\.1:{port}/api/v1/enrol: cannot reach the hub"):
        enrol(f"http://127.0.0.1:{port}", "K7Q2-M9XD", tmp_path / "terminal.key", timeout_s=2)


def test_an_empty_code_is_refused_before_asking(hub, tmp_path):
    with pytest.raises(EnrolError, match="code: must not be empty"):
        enrol(hub.url, "  ", tmp_path / "terminal.key")
    assert hub.requests == []


def test_enrol_with_the_real_hub(tmp_path):
    """The same contract against the hub application itself, served on 127.0.0.1."""
    from hub import create_app
    from hub.store import Store

    database = tmp_path / "hub.sqlite3"
    app = create_app({"DATABASE": str(database), "HALL_CONFIG": str(HALL_TOML)})
    with Store.open(str(database)) as store:
        code = store.terminals.new_enrolment_code("w03", "test")
        terminal = store.configs.hall().window("w03").terminal
    with serving(wsgi_server(app)) as server:
        url = url_of(server)
        result = enrol(url, code, tmp_path / "terminal.key", terminal_id=terminal)
        with pytest.raises(EnrolError, match="already used"):
            enrol(url, code, tmp_path / "terminal.key")
    assert result.terminal == terminal
    assert len(bytes.fromhex((tmp_path / "terminal.key").read_text().strip())) >= 16
    assert _mode(tmp_path / "terminal.key") == 0o600
