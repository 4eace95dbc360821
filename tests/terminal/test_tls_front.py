"""A terminal talks to the hub through the shipped nginx site over HTTPS: CA file or pin, real sync code."""
import random

import pytest
import requests

from firmware.terminal.errors import HubUnreachable
from firmware.terminal.hallconfig import ConfigCache
from firmware.terminal.hubhttp import HubTrust
from firmware.terminal.hublink import HubLink
from firmware.terminal.settings import load_settings
from firmware.terminal.sync import SyncClient
from hub.store import Store
from hub.store.configs import terminal_document
from protocol.cli import main
from protocol.config import config_from_dict, config_to_dict
from tests.nginx import hub_behind_nginx
from tests.terminal.conftest import ROOT, TERMINAL, WINDOW
from tests.terminal.test_sync import fill, until

BACKLOG = 40


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """The hub (waitress, --trusted-proxies 1) behind nginx with a self-signed certificate."""
    with hub_behind_nginx(tmp_path_factory.mktemp("front")) as running:
        yield running


def terminal_toml(directory, front, **tls):
    """A terminal.toml for this window pointing at nginx's https:// URL with the given TLS keys."""
    lines = [f'id = "{TERMINAL}"', f'hub = "{front.https}"', 'key_file = "terminal.key"', 'journal = "journal"',
             f'pinmap = "{ROOT / "hardware" / "pinmap.toml"}"', *(f'{key} = "{value}"' for key, value in tls.items())]
    path = directory / "terminal.toml"
    path.write_text("[terminal]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def enrol_code(front):
    with Store.open(front.db) as store:
        return store.terminals.new_enrolment_code(WINDOW, "test")


def test_a_terminal_enrols_and_drains_its_journal_through_nginx_trusting_the_hubs_ca(
        front, open_window, clock, tmp_path, hall, capsys):
    config = terminal_toml(tmp_path, front, hub_ca_file=front.certificate.cert)
    assert main(["terminal", "enrol", "--config", str(config), "--code", enrol_code(front)]) == 0, capsys.readouterr()
    settings = load_settings(config)
    fill(settings.journal, BACKLOG)
    link = HubLink(url=settings.hub_url, terminal=TERMINAL, key=settings.key(), clock=clock, timeout_s=5,
                   trust=settings.hub_trust)
    sync = SyncClient(link=link, clock=clock, config_cache=ConfigCache(tmp_path / "hall-config.json"),
                      batch_size=15, backoff_base_s=0.01, backoff_cap_s=0.05, rng=random.Random(3))
    window = open_window(hub=sync, journal_path=settings.journal)
    until(lambda: window.journal.unsynced_count == 0, what="the drain through nginx")
    until(lambda: sync.config_cache.current() is not None, what="the config through nginx")
    assert sync.config_cache.current() == config_from_dict(terminal_document(config_to_dict(hall), TERMINAL))
    with Store.open(front.db) as store:
        assert store.facts.count(TERMINAL) == window.journal.next_seq - 1 > BACKLOG     # each fact, once


def test_a_terminal_with_the_right_pin_is_served_and_a_wrong_pin_refuses_the_hub(front, clock, tmp_path, capsys):
    wrong = terminal_toml(tmp_path, front, hub_pin_sha256="ab" * 32)
    assert main(["terminal", "enrol", "--config", str(wrong), "--code", enrol_code(front)]) == 2
    assert f"not the pinned {'ab' * 32}" in capsys.readouterr().err
    assert not (tmp_path / "terminal.key").exists()        # the code never left the terminal

    pinned = terminal_toml(tmp_path, front, hub_pin_sha256=front.certificate.sha256)
    assert main(["terminal", "enrol", "--config", str(pinned), "--code", enrol_code(front)]) == 0
    settings = load_settings(pinned)
    link = HubLink(url=settings.hub_url, terminal=TERMINAL, key=settings.key(), clock=clock, timeout_s=5,
                   trust=settings.hub_trust)
    assert link.pull_config(None).status == 200
    impostor = HubLink(url=settings.hub_url, terminal=TERMINAL, key=settings.key(), clock=clock, timeout_s=5,
                       trust=HubTrust(pin_sha256="ab" * 32))
    with pytest.raises(HubUnreachable, match="not the pinned"):
        impostor.push(b"{}")


def test_nginx_redirects_plain_http_and_refuses_oversize_bodies_itself(front):
    redirect = requests.get(front.http + "/admin/login", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301 and redirect.headers["Location"].startswith("https://")
    huge = requests.post(front.https + "/api/v1/enrol", data=b" " * (2 * 1024 * 1024), timeout=10,
                         headers={"Content-Type": "application/json"}, verify=str(front.certificate.cert))
    assert huge.status_code == 413 and "nginx" in huge.text
