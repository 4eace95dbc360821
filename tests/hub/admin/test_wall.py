"""The live wall's JSON: held by A/B, nobody (empty, for how long), out of hours, or unknown when silent."""
import pytest

from ..conftest import DAY, local, script


@pytest.fixture(autouse=True)
def day_long_sessions(app):
    """These tests move the hub's clock by hours within one login (the wall's polls are not activity)."""
    app.config.update(ADMIN_SESSION_IDLE_MINUTES=24 * 60, ADMIN_SESSION_MAX_HOURS=24)


def windows(client):
    return {w["id"]: w for w in client.get("/admin/wall.json").get_json()["windows"]}


def test_the_wall_follows_the_facts(terminal, clock, client, auth):
    auth.login()
    clock.set(local(DAY, "08:25"))
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.add("08:20:30", "keypad", attached=True, firmware="1.0")
    terminal.push(day.facts)
    w03 = windows(client)["w03"]
    assert (w03["state"], w03["holder_name"], w03["keypad"]) == ("A", "陈静", True)
    assert w03["last_sync_local"] == "2026-11-24T08:25:00+08:00"
    assert windows(client)["w01"]["state"] == "unknown", "a terminal never heard from is unknown, not empty"

    clock.set(local(DAY, "09:00:30"))
    terminal.push([day.handover("09:00", "A", reason="meeting")])
    w03 = windows(client)["w03"]
    assert (w03["state"], w03["waiting"], w03["empty_seconds"], w03["alarm"]) == ("empty", "B", 30, False)

    clock.set(local(DAY, "09:02"))
    terminal.push([])
    w03 = windows(client)["w03"]
    assert (w03["state"], w03["empty_seconds"], w03["alarm"]) == ("empty", 120, True)

    clock.set(local(DAY, "09:03"))
    terminal.push([day.presence("09:02:30", "B", True)])
    w03 = windows(client)["w03"]
    assert (w03["state"], w03["holder_name"], w03["waiting"]) == ("B", "杨帆", None)


def test_a_silent_terminal_turns_unknown(terminal, clock, client, auth):
    auth.login()
    clock.set(local(DAY, "08:25"))
    day = script("win-03")
    day.presence("08:20", "A", True)
    terminal.push(day.facts)
    clock.set(local(DAY, "08:35"))
    w03 = windows(client)["w03"]
    assert w03["state"] == "unknown" and w03["offline_since_local"] == "2026-11-24T08:25:00+08:00"
    assert w03["holder"] is None and w03["empty_seconds"] is None
    assert (w03["last_holder"], w03["last_holder_name"]) == ("A", "陈静"), "who held it when last heard"


def test_out_of_hours_nobody_is_not_empty(terminal, clock, client, auth):
    auth.login()
    clock.set(local(DAY, "12:30"))
    terminal.push(script("win-03").facts)
    assert windows(client)["w03"]["state"] == "closed"


def test_the_page_renders_the_same_state_and_polls(terminal, clock, client, auth):
    auth.login()
    clock.set(local(DAY, "08:25"))
    day = script("win-03")
    day.presence("08:20", "B", True)
    terminal.push(day.facts)
    page = client.get("/admin/wall").text
    assert 'id="win-w03"' in page and 'class="card state-B' in page and "wall.js" in page
    assert client.get("/admin/wall.json").headers["Cache-Control"] == "no-store"


def test_terminal_faults_and_a_flooding_keypad_show_in_the_readers_language(terminal, clock, client, auth):
    auth.login()
    clock.set(local(DAY, "08:25"))
    day = script("win-03")
    day.presence("08:20", "A", True)
    status = {"faults": ["hub_unreachable", "journal_near_full"], "keypad_present": True,
              "keypad_counts": {"dropped_strays": 37, "ignored_ratings": 2, "lost": 0}}
    terminal.push(day.facts, status=status)
    w03 = windows(client)["w03"]
    assert w03["troubles"] == ["连不上中心", "日志将满", "评价器乱键37次未记"]
    assert "连不上中心 · 日志将满 · 评价器乱键37次未记" in client.get("/admin/wall").text
    auth.post("/admin/language/en")
    assert windows(client)["w03"]["troubles"] == ["hub unreachable", "journal nearly full", "37 stray keys not recorded"]
    refused = terminal.push([], status={"faults": "hub_unreachable"})
    assert (refused.status_code, refused.json()["error"]) == (400, "status.faults: must be an array of fault names")
    assert terminal.push([], status={"faults": [], "keypad_present": True,
                                     "keypad_counts": {"dropped_strays": "x"}}).status_code == 200
    assert windows(client)["w03"]["troubles"] == []
    assert windows(client)["w04"]["troubles"] == []
