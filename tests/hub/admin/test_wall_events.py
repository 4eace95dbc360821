"""The wall pushed as server-sent events: a fact stored reaches an open stream without the page asking, a
reconnect resumes from the last wall it had, the walls of one hall are computed once however many are open,
streams are bounded, and each stream holds only what its user may see (hall office, department, display)."""
import pytest

from hub.wall_events import EXTENSION, Changes, Feed
from tests.sse import events, lines_of, next_wall

from ..conftest import DAY, local, script
from .test_halls import center  # noqa: F401 (the fixture of two halls and their users)

STREAM = "/admin/wall/events"


class Opened:
    """A stream opened with the test client: its response and its events, closed (slot given back) at the end."""

    def __init__(self, client, path=STREAM, headers=None):
        self.response = client.get(path, headers=headers or {})
        self.events = events(lines_of(self.response.response)) if self.response.status_code == 200 else None

    def close(self):
        self.response.close()


@pytest.fixture(autouse=True)
def short_streams(app):
    """Streams end after a few seconds here: a test waiting for an event that never comes fails, it never hangs."""
    app.config["WALL_STREAM_S"] = 5


@pytest.fixture
def stream(client):
    opened = []

    def _open(path=STREAM, headers=None):
        opened.append(Opened(client, path, headers))
        return opened[-1]

    yield _open
    for each in opened:
        each.close()


def ids(wall):
    return [w["id"] for w in wall["windows"]]


def test_a_pushed_fact_reaches_the_open_stream(auth, stream, terminal, clock):
    clock.set(local(DAY, "08:25"))
    auth.login()
    opened = stream()
    assert opened.response.mimetype == "text/event-stream"
    assert opened.response.headers["X-Accel-Buffering"] == "no", "nginx must not hold the events back"
    first = next_wall(opened.events)
    assert {w["id"]: w["state"] for w in first.data["windows"]}["w03"] == "unknown"
    day = script("win-03")
    day.presence("08:20", "A", True)
    answer = terminal.push(day.facts)
    assert answer.status_code == 200, answer.text
    w03 = next_wall(opened.events, lambda data: data["windows"][2]["state"] != "unknown").data["windows"][2]
    assert (w03["id"], w03["state"], w03["holder_name"]) == ("w03", "A", "陈静")


def test_the_streamed_wall_is_wall_json(auth, client, stream):
    auth.login()
    streamed = next_wall(stream().events).data
    assert streamed == client.get("/admin/wall.json").get_json()


def test_a_reconnect_with_the_last_event_id_is_not_sent_the_same_wall_again(auth, stream):
    auth.login()
    first = next_wall(stream().events)
    again = next(stream(headers={"Last-Event-ID": first.id}).events)
    assert again.type == "clock" and set(again.data) == {"now", "now_local", "now_clock"}
    other = next(stream(headers={"Last-Event-ID": "an-older-wall"}).events)
    assert (other.type, other.id) == ("wall", first.id)


def test_streams_over_the_bound_are_refused_and_the_slot_comes_back(app, auth, stream):
    auth.login()
    app.extensions[EXTENSION].max_streams = 1
    held = stream()
    refused = stream()
    assert refused.response.status_code == 503 and refused.response.headers["Retry-After"] == "60"
    assert "poll wall.json" in refused.response.text
    held.close()
    assert stream().response.status_code == 200, "a closed stream gives its slot back"


@pytest.mark.parametrize("user, query, expected", [
    ("thl-office", "", (200, ["w01"])),
    ("thl-office", "?hall=hall", (403, None)),
    ("thl-viewer", "", (200, ["w01"])),
    ("street-office", "?hall=taohualing", (403, None)),
    ("office", "?hall=taohualing", (200, ["w01"])),
])
def test_each_users_stream_holds_their_hall_only(center, auth, stream, user, query, expected):
    auth.login(user)
    opened = stream(STREAM + query)
    status = opened.response.status_code
    assert (status, ids(next_wall(opened.events).data) if status == 200 else None) == expected


def test_a_department_viewer_streams_their_departments_windows(auth, stream, client):
    auth.login("viewer")
    streamed = ids(next_wall(stream().events).data)
    assert streamed == ids(client.get("/admin/wall.json").get_json())
    assert 0 < len(streamed) < 8


def test_a_display_streams_its_wall(auth, display, stream):
    assert auth.login("screen").status_code == 302
    assert len(next_wall(stream().events).data["windows"]) == 8


def test_an_office_walls_stream_is_not_activity(auth, stream, clock):
    auth.login("office")
    clock.advance(20 * 60)
    assert stream().response.status_code == 200
    clock.advance(11 * 60)
    assert stream().response.status_code == 302, "the session ran out: its reconnects did not keep it alive"


def test_a_logged_out_browser_gets_no_stream(client, stream):
    assert stream().response.status_code == 302


class Ticking:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_feed_computes_a_wall_once_per_change_and_tick_for_all_its_walls():
    changes, ticking, computed = Changes(), Ticking(), []
    feed = Feed(changes, monotonic=ticking)

    def compute():
        computed.append(1)
        return {"now": "t", "now_local": "t", "now_clock": "t", "windows": [len(computed)]}

    walls = {feed.latest("hall", compute).id for _ in range(50)}
    assert (len(walls), len(computed)) == (1, 1)
    changes.changed()
    assert feed.latest("hall", compute).id not in walls and len(computed) == 2
    ticking.now += 1
    feed.latest("hall", compute)
    feed.latest("other hall", compute)
    assert len(computed) == 4


def test_the_center_streams_every_halls_line_and_a_hall_office_gets_none(center, auth, stream):
    auth.login("office")
    lines = next_wall(stream("/admin/center/events").events).data["halls"]
    assert sorted(line["hall"] for line in lines) == ["hall", "taohualing"]
    assert {line["hall"]: line["windows"] for line in lines} == {"hall": 8, "taohualing": 1}
    auth.logout()
    auth.login("thl-office")
    assert stream("/admin/center/events").response.status_code == 403
