"""Hub fixtures: an app on a temporary database, a real server thread on 127.0.0.1, signing terminals.

The database is SQLite unless a test (or its module) is marked ``backends``: it then runs once per backend,
SQLite and a fresh PostgreSQL database (``@pytest.mark.backends("sqlite")`` narrows it to the ones named).
``HALLPOST_TEST_BACKEND=postgresql`` runs the unmarked tests on PostgreSQL instead.
"""
import hashlib
import os
import secrets
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
import requests

from hub import create_app
from hub.deriver import catch_up
from hub.store import Store
from hub.store.database import dialect_of
from protocol.scenario import TerminalScript
from protocol.wire import encode_batch, signed_headers
from tests import servers

HALL_TOML = Path(__file__).resolve().parents[2] / "hardware" / "hall" / "hall.toml"
TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 24)            # a Tuesday: c01 on sick leave in the morning, w05 has a permit at 10:00


def local(day, hhmm):
    """An aware local time on *day* from "HH:MM[:SS]"."""
    return datetime.combine(day, datetime.strptime(hhmm, "%H:%M:%S" if hhmm.count(":") == 2 else "%H:%M").time(), TZ)


class HubClock:
    """The hub's injected clock, set by the test (aware UTC)."""

    def __init__(self, moment):
        self.moment = moment.astimezone(timezone.utc)

    def __call__(self):
        return self.moment

    def set(self, moment):
        self.moment = moment.astimezone(timezone.utc)

    def advance(self, seconds):
        self.moment += timedelta(seconds=seconds)


class TerminalClient:
    """A window terminal speaking to the hub over real HTTP, signing with its key."""

    def __init__(self, base, terminal, key, *, clock, store_id=None):
        self.base, self.terminal, self.key, self.clock = base, terminal, key, clock
        self.store_id = store_id or secrets.token_hex(8)
        self.http = requests.Session()

    def request(self, method, path, body=b"", *, timestamp=None, nonce=None, key=None, terminal=None,
                content_type="application/json", headers=None):
        """Send one signed request; the keyword arguments let a test forge any part of it."""
        signed = signed_headers(key or self.key, terminal or self.terminal, method, path, body,
                                timestamp=self.clock().timestamp() if timestamp is None else timestamp,
                                nonce=nonce or secrets.token_hex(16))
        if content_type:
            signed["Content-Type"] = content_type
        signed.update(headers or {})
        return self.http.request(method, self.base + path, data=body, headers=signed, timeout=10)

    def batch(self, facts, *, status=None, terminal=None, store_id=None):
        """The body of a push of *facts*."""
        return encode_batch(terminal or self.terminal, store_id or self.store_id, facts, status)

    def push(self, facts, *, status=None, **kwargs):
        """Push *facts* (dicts); return the response."""
        return self.request("POST", "/api/v1/facts", self.batch(facts, status=status), **kwargs)

    def config(self, etag=None):
        """Pull the config, conditionally on *etag*."""
        return self.request("GET", "/api/v1/config", headers={"If-None-Match": f'"{etag}"'} if etag else None)

    def close(self):
        self.http.close()


TABLES_OF = {"sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
             "postgresql": "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                           "ORDER BY table_name"}


def fingerprint(database):
    """A hash of every row of every table of *database* (a SQLite path or a URL): what "unchanged" means."""
    dialect = dialect_of(database)
    conn = psycopg.connect(database) if dialect == "postgresql" else sqlite3.connect(database)
    try:
        digest = hashlib.sha256()
        for (table,) in conn.execute(TABLES_OF[dialect]).fetchall():
            digest.update(table.encode())
            for row in sorted(map(repr, conn.execute(f"SELECT * FROM {table}"))):
                digest.update(row.encode())
        return digest.hexdigest()
    finally:
        conn.close()


def fresh(store):
    """*store* once the hub's one writer has derived every dirty window-day (as a page asks it to)."""
    catch_up(store)
    return store


def script(terminal="win-03", day=DAY, **kwargs):
    """A TerminalScript of *terminal*'s day in the example hall."""
    return TerminalScript(terminal, day, TZ, **kwargs)


def report(terminal, clock, day, anchor, hub_time=None):
    """Push *day*'s facts ending with a clock anchor at *anchor*, the hub's clock at *hub_time* (or *anchor*)."""
    day.clock(anchor)
    clock.set(local(DAY, hub_time or anchor))
    assert terminal.push(day.facts).status_code == 200


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    """Run a test marked ``backends`` once per backend it names (all by default)."""
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is not None and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", [pytest.param(name, marks=[getattr(pytest.mark, name)] if name != "sqlite"
                                                      else []) for name in marker.args or BACKENDS])


@pytest.fixture
def backend():
    """The store's backend: ``HALLPOST_TEST_BACKEND`` (default SQLite) unless the test is marked ``backends``."""
    name = os.environ.get("HALLPOST_TEST_BACKEND", "sqlite")
    if name not in BACKENDS:
        raise ValueError(f"HALLPOST_TEST_BACKEND: {name!r} is not one of {', '.join(BACKENDS)}")
    return name


@pytest.fixture
def database(backend, tmp_path, request):
    """The test's database: a SQLite file in tmp_path, or the URL of a fresh PostgreSQL database."""
    if backend == "postgresql":
        return request.getfixturevalue("postgresql_database")
    return str(tmp_path / "hall.sqlite")


@pytest.fixture
def clock():
    return HubClock(local(DAY, "07:30"))


@pytest.fixture
def app(database, clock):
    return hub_app(database, clock)


@pytest.fixture
def store(app, clock):
    with Store.open(app.config["DATABASE"], clock=clock) as opened:
        yield opened


@contextmanager
def serving(app):
    """Serve *app* with a real WSGI server thread on a free port of 127.0.0.1; yields its base URL."""
    with servers.serving(servers.wsgi_server(app)) as httpd:
        yield servers.url_of(httpd)


def hub_app(database, clock):
    """A hub on *database* (a SQLite path or a URL) with the example hall and the test clock (for sessions and
    lockouts too). Its pages derive all they show whatever the machine's speed (a budget tested on its own, in
    test_reports.py and test_deriver.py)."""
    return create_app({"DATABASE": str(database), "HALL_CONFIG": str(HALL_TOML), "SECRET_KEY": "test", "CLOCK": clock,
                       "ADMIN_CLOCK": clock, "TESTING": True, "ADMIN_DERIVE_BUDGET_S": 600})


def enrol_over_http(base, store, window, clock):
    """Enrol *window*'s terminal at the hub at *base*; return its TerminalClient."""
    code = store.terminals.new_enrolment_code(window, "test")
    answer = requests.post(base + "/api/v1/enrol", json={"code": code}, timeout=10)
    assert answer.status_code == 201, answer.text
    return TerminalClient(base, answer.json()["terminal"], bytes.fromhex(answer.json()["key"]), clock=clock)


@pytest.fixture
def server(app):
    """The app served on 127.0.0.1 by a real server thread; its base URL."""
    with serving(app) as base:
        yield base


@pytest.fixture
def enrol(server, store, clock):
    """Enrol the terminal of a window through the API; returns its TerminalClient."""
    clients = []

    def _enrol(window="w03"):
        clients.append(enrol_over_http(server, store, window, clock))
        return clients[-1]

    yield _enrol
    for client in clients:
        client.close()


@pytest.fixture
def terminal(enrol):
    """The enrolled terminal of w03 (win-03)."""
    return enrol("w03")
