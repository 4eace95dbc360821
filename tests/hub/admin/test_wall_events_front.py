"""The wall's events through the shipped nginx site in front of a real ``hub serve`` (waitress): each event
arrives as the hub writes it (nginx would otherwise hold ~100-byte clock events until its buffer filled)."""
import http.cookiejar
import re
import ssl
import urllib.parse
import urllib.request

from hub.store import Store
from tests.nginx import hub_behind_nginx
from tests.sse import events, next_wall

from .conftest import PASSWORD

TIMEOUT_S = 10


def office_browser(front):
    """An HTTPS opener trusting the hub's certificate, logged in as the office through the form."""
    context = ssl.create_default_context(cafile=str(front.certificate.cert))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                         urllib.request.HTTPSHandler(context=context))
    with opener.open(front.https + "/admin/login", timeout=TIMEOUT_S) as page:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
    form = urllib.parse.urlencode({"username": "office", "password": PASSWORD, "csrf_token": token}).encode()
    login = urllib.request.Request(front.https + "/admin/login", form,
                                   headers={"Referer": front.https + "/admin/login"})     # CSRF over HTTPS
    with opener.open(login, timeout=TIMEOUT_S) as landed:
        assert landed.url.endswith("/admin/wall")
    return opener


def test_events_pass_through_nginx_unbuffered(tmp_path, password_hash):
    with hub_behind_nginx(tmp_path / "front") as front:
        with Store.open(front.db) as store:
            store.users.add("office", password_hash, "office")
        with office_browser(front).open(front.https + "/admin/wall/events", timeout=TIMEOUT_S) as answer:
            assert answer.headers["Content-Type"].startswith("text/event-stream")
            stream = events(line.decode().rstrip("\n") for line in iter(answer.readline, b""))
            assert len(next_wall(stream).data["windows"]) == 8
            clocks = [next(stream) for _ in range(2)]
    assert [event.type for event in clocks] == ["clock", "clock"]
