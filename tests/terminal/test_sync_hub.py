"""Sync against the real hub (hub.create_app on a real WSGI server on 127.0.0.1): enrol, drain, outage."""
import random
import threading
from datetime import timezone

import pytest
from werkzeug.serving import make_server

from firmware.terminal.enrol import enrol
from firmware.terminal.hallconfig import ConfigCache
from firmware.terminal.hublink import HubLink
from firmware.terminal.sync import SyncClient
from hub import create_app
from hub.store import Store
from hub.store.configs import terminal_document
from protocol.config import config_from_dict, config_to_dict
from tests.terminal.conftest import ROOT, TERMINAL, WINDOW, at
from tests.terminal.test_sync import fill, until

BACKLOG = 3000


class RealHub:
    """The hub application on a real server thread; stop() and start() again on the same port."""

    def __init__(self, db, clock):
        self.db, self.clock = db, clock
        self.app = create_app({"DATABASE": str(db), "HALL_CONFIG": str(ROOT / "hardware" / "hall" / "hall.toml"),
                               "SECRET_KEY": "test", "CLOCK": self.now})
        self.port, self.httpd = 0, None

    def now(self):
        return self.clock.wall().astimezone(timezone.utc)

    def start(self):
        self.httpd = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.thread.join(5)
        self.httpd.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def store(self):
        return Store.open(str(self.db), clock=self.now)


@pytest.fixture
def real_hub(tmp_path, clock):
    hub = RealHub(tmp_path / "hub.sqlite", clock).start()
    yield hub
    hub.stop()


def test_enrol_drain_and_outage_against_the_real_hub(open_window, real_hub, clock, tmp_path, hall):
    with real_hub.store() as store:
        code = store.terminals.new_enrolment_code(WINDOW, "test")
    granted = enrol(real_hub.url, code, tmp_path / "terminal.key", terminal_id=TERMINAL)
    key = bytes.fromhex(granted.key_path.read_text().strip())
    fill(tmp_path / "journal", BACKLOG)
    link = HubLink(url=real_hub.url, terminal=TERMINAL, key=key, clock=clock, timeout_s=5)
    sync = SyncClient(link=link, clock=clock, config_cache=ConfigCache(tmp_path / "hall-config.json"),
                      batch_size=250, backoff_base_s=0.01, backoff_cap_s=0.05, rng=random.Random(3))
    window = open_window(hub=sync)
    with real_hub.store() as store:
        until(lambda: store.facts.count(TERMINAL) >= 1000, what="part of the drain")
    real_hub.stop()
    until(lambda: sync.failures >= 2, what="the terminal to notice the outage")
    window.to(at(9))
    window.press("presence_a")                                   # the window works meanwhile
    assert window.lamp("a") == "on"
    real_hub.start()
    until(lambda: window.journal.unsynced_count == 0, what="the drain to finish")
    until(lambda: sync.config_cache.current() is not None, what="the config")
    assert sync.config_cache.current() == config_from_dict(terminal_document(config_to_dict(hall), TERMINAL))
    mine, whole = sync.config_cache.current().window_of_terminal(TERMINAL), hall.window_of_terminal(TERMINAL)
    assert (mine.id, mine.terminal, mine.a, mine.b) == (whole.id, whole.terminal, whole.a, whole.b)
    with real_hub.store() as store:
        assert store.facts.count(TERMINAL) == window.journal.next_seq - 1     # every fact, each once
        state = store.terminals.get(TERMINAL)
    assert state["status"]["unsynced"] >= 0 and "faults" in state["status"]
    assert window.journal.acked_seq == window.journal.next_seq - 1
