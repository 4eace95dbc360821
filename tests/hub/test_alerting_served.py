"""Two ``hub serve`` processes on one database, each evaluating the alert rules in the background: a window left
empty opens one alert, B taking the post ends it once, whichever process saw it first."""
import time

import pytest

from .conftest import DAY, enrol_over_http, local, script
from .served import hub_serve

pytestmark = pytest.mark.backends


def wait_for(condition):
    """Return once *condition()* holds (bounded: 30 s, two hub processes starting on a loaded machine)."""
    deadline = time.monotonic() + 30
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition()


def test_two_serving_hubs_record_each_alert_change_once(app, store, database, clock):
    clock.set(local(DAY, "09:01:30"))
    on_the_test_clock = {"HALLPOST_CLOCK": f"scaled:{clock().isoformat()}@1x"}
    with hub_serve(database, "--alert-every", "0.05", env=on_the_test_clock) as one, \
            hub_serve(database, "--alert-every", "0.05", env=on_the_test_clock):
        terminal = enrol_over_http(one, store, "w03", clock)
        day = script()
        day.presence("08:20", "A")
        day.presence("09:00", "A", False)            # empty since 09:00, past its grace
        assert terminal.push(day.facts).status_code == 200
        wait_for(lambda: [a["kind"] for a in store.alerts.open()] == ["empty"])
        day.presence("09:01:31", "B")
        assert terminal.push(day.facts).status_code == 200
        wait_for(lambda: store.alerts.open() == [])
        time.sleep(0.5)                              # rounds of both that must not record it again
        terminal.close()
    [alert] = store.alerts.recent(since="2026-11-24T00:00:00+00:00")
    assert (alert["kind"], alert["key"], alert["started_at"]) == ("empty", "empty:w03:2026-11-24T01:00:00+00:00#1",
                                                                  "2026-11-24T01:00:00+00:00")
    assert alert["ended_at"] >= "2026-11-24T01:01:31"


def test_a_serving_hub_tells_the_offices_robot_when_a_window_goes_empty_and_when_it_is_held_again(
        app, store, database, clock):
    from .notify.conftest import add_wecom
    from .notify.robots import receiving
    clock.set(local(DAY, "09:01:30"))
    with receiving() as (robot, base):
        add_wecom(store, "office-group", base)
        with hub_serve(database, "--alert-every", "0.05", "--public-url", "https://hub.example.gov.cn",
                       env={"HALLPOST_CLOCK": f"scaled:{clock().isoformat()}@1x"}) as served:
            terminal = enrol_over_http(served, store, "w03", clock)
            day = script()
            day.presence("08:20", "A")
            day.presence("09:00", "A", False)
            assert terminal.push(day.facts).status_code == 200
            wait_for(lambda: len(robot.taken()) == 1)
            day.presence("09:01:31", "B")
            assert terminal.push(day.facts).status_code == 200
            wait_for(lambda: len(robot.taken()) == 2)
            time.sleep(0.5)
            terminal.close()
    firing, resolved = (r["markdown"]["content"] for r in robot.taken())
    assert "https://hub.example.gov.cn/admin/" in firing, "the link the office opens"
    assert firing != resolved and set(robot.keys.values()) == {1}, "one message per change, each once"
