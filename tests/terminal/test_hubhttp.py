"""The terminal's one HTTP client: no proxy from the environment, HTTPS verified by a CA file or a pinned cert."""
import ssl
from http.server import BaseHTTPRequestHandler

import pytest

from firmware.terminal.clock import ManualClock
from firmware.terminal.enrol import enrol
from firmware.terminal.errors import EnrolError, HubUnreachable, SettingsError
from firmware.terminal.hubhttp import HubHttp, HubTrust, normalise_pin
from firmware.terminal.hublink import HubLink
from firmware.terminal.selftest import _hub
from firmware.terminal.settings import settings_from_dict
from tests import servers
from tests.tls import make_certificate

from .conftest import at


class Clock(BaseHTTPRequestHandler):
    """Answers every GET with a hub clock and every POST with an enrolment refusal (403)."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        servers.reply_json(self, 200, {"hub_time": "2026-11-24T01:00:00+00:00"})

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        servers.reply_json(self, 403, {"error": "code: unknown"})


@pytest.fixture
def plain():
    with servers.serving(servers.http_server(Clock)) as httpd:
        yield servers.url_of(httpd)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls(certificate):
    """An HTTPS clock server on 127.0.0.1 with the self-signed *certificate*; its https:// URL."""
    httpd = servers.http_server(Clock)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate.cert, certificate.key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    with servers.serving(httpd):
        yield f"https://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture
def dead_proxy(monkeypatch):
    """Every proxy variable points at a port nobody listens on."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_sync_enrolment_and_selftest_all_ignore_proxy_variables(plain, dead_proxy, tmp_path):
    """The hub is on the hall's LAN: the three callers agree on going straight to it."""
    link = HubLink(url=plain, terminal="win-03", key=b"k" * 32, clock=ManualClock(at(9)), timeout_s=5)
    assert link.pull_config(None).hub_time is not None
    with pytest.raises(EnrolError, match="refused code 'ABCD'"):
        enrol(plain, "ABCD", tmp_path / "terminal.key", timeout_s=5)
    assert _hub(plain, ManualClock(at(9)).wall, HubHttp(timeout_s=5)).ok


def test_https_with_the_hubs_ca_file_is_verified(tls, certificate):
    reply = HubHttp(HubTrust(ca_file=certificate.cert), timeout_s=5).request("GET", tls + "/api/v1/clock")
    assert reply.status == 200 and b"hub_time" in reply.body


def test_https_without_a_trusted_ca_is_refused(tls):
    with pytest.raises(HubUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
        HubHttp(timeout_s=5).request("GET", tls + "/api/v1/clock")


def test_https_with_the_pinned_fingerprint_is_accepted(tls, certificate):
    pin = ":".join(certificate.sha256[i:i + 2] for i in range(0, 64, 2)).upper()     # as openssl prints it
    assert HubHttp(HubTrust(pin_sha256=pin), timeout_s=5).request("GET", tls + "/api/v1/clock").status == 200


def test_https_with_another_fingerprint_is_refused_before_anything_is_sent(tls, tmp_path):
    wrong = "00" * 32
    with pytest.raises(EnrolError, match=f"not the pinned {wrong}") as refused:
        enrol(tls, "ABCD", tmp_path / "terminal.key", timeout_s=5, trust=HubTrust(pin_sha256=wrong))
    assert "refused code" not in str(refused.value) and not (tmp_path / "terminal.key").exists()


def test_a_ca_file_and_a_pin_are_both_checked(tls, certificate):
    http = HubHttp(HubTrust(ca_file=certificate.cert, pin_sha256="ab" * 32), timeout_s=5)
    with pytest.raises(HubUnreachable, match="not the pinned"):
        http.request("GET", tls + "/api/v1/clock")


BASE = {"id": "win-03", "journal": "j", "pinmap": "p.toml", "key_file": "k"}


def test_settings_read_the_tls_keys(tmp_path):
    settings = settings_from_dict({"terminal": dict(BASE, hub="https://hub.hall.lan", hub_ca_file="hub-ca.pem",
                                                    hub_pin_sha256="AB:" * 31 + "AB")}, base=tmp_path)
    assert settings.hub_trust == HubTrust(ca_file=tmp_path / "hub-ca.pem", pin_sha256="ab" * 32)


@pytest.mark.parametrize(("extra", "message"), [
    ({"hub": "http://hub.hall.lan:8080", "hub_ca_file": "ca.pem"}, "terminal.hub_ca_file: needs an https:// hub"),
    ({"hub": "http://hub.hall.lan:8080", "hub_pin_sha256": "ab" * 32}, "terminal.hub_pin_sha256: needs an https"),
    ({"hub": "https://hub.hall.lan", "hub_pin_sha256": "abc"}, "terminal.hub_pin_sha256: expected 64 hex digits"),
])
def test_settings_refuse_bad_tls_keys(extra, message):
    with pytest.raises(SettingsError, match=message):
        settings_from_dict({"terminal": dict(BASE, **extra)})


def test_a_pin_may_be_given_as_openssl_prints_it():
    printed = "sha256 Fingerprint=" + ":".join(["0F"] * 32)
    assert normalise_pin(printed) == "0f" * 32
