"""A terminal receives only what its lamps need of the hall config (its SD card lies in a public hall), and
its lamps judge by that part exactly as by the whole."""
import json
from datetime import timedelta

from protocol.config import config_from_dict
from protocol.facts import parse_fact
from protocol.window_state import window_state

from .conftest import DAY, local, script


def test_a_terminal_gets_its_own_window_and_no_leave_names_or_other_windows(enrol, store):
    win01 = enrol("w01")                       # w01: A is c01 (张敏), on sick leave on DAY's morning
    answer = win01.config()
    assert answer.status_code == 200
    document = answer.json()["config"]
    assert [w["id"] for w in document["windows"]] == ["w01"]
    assert document["clerks"] == [{"id": "c01", "name": "c01"}, {"id": "c02", "name": "c02"}]
    assert document["leave"] == [] and document["permits"] == []
    text = json.dumps(document, ensure_ascii=False)
    for private in ["sick", "张敏", *(c.name for c in store.configs.hall().clerks.values()), "w02", "调取档案"]:
        assert private not in text
    assert document["sessions"] == json.loads(json.dumps(store.configs.current()[1]["sessions"]))


def test_a_terminal_gets_its_windows_permits_without_the_reason(enrol):
    document = enrol("w05").config().json()["config"]
    assert document["permits"] == [{"window": "w05", "from": "2026-11-24T10:00:00+08:00",
                                    "to": "2026-11-24T10:10:00+08:00"}]


def test_each_terminal_has_its_own_etag_unmoved_by_another_windows_change(enrol, store):
    win01, win05 = enrol("w01"), enrol("w05")
    etag01, etag05 = win01.config().json()["etag"], win05.config().json()["etag"]
    assert etag01 != etag05
    document = store.configs.current()[1]
    document["permits"].append({"window": "w05", "from": "2026-11-25T10:00:00+08:00",
                                "to": "2026-11-25T10:30:00+08:00", "reason": "培训"})
    store.configs.save(document, "test")
    assert win01.config(etag01).status_code == 304
    changed = win05.config(etag05)
    assert changed.status_code == 200 and changed.json()["version"] == 2


def test_the_lamps_judge_by_the_terminals_part_as_by_the_whole_config(enrol, store):
    part = config_from_dict(enrol("w05").config().json()["config"])
    day = script("win-05")
    day.presence("08:20", "A", True)
    day.presence("09:55", "A", False)          # away through the permit (10:00-10:10) and after it
    day.handover("10:30", "B", "meeting")
    day.presence("10:31", "B", True)
    day.presence("11:58", "B", False)
    facts = [parse_fact(f) for f in day.facts]
    moment, states = local(DAY, "07:00"), 0
    while moment < local(DAY, "18:30"):
        assert window_state(part, facts, "w05", moment) == window_state(store.configs.hall(), facts, "w05", moment)
        moment += timedelta(minutes=1)
        states += 1
    assert states == 690


def test_a_terminal_learns_when_its_clerks_left_but_not_the_halls_departments(enrol, store):
    document = store.configs.current()[1]
    document["hall"]["departments"] = store.configs.hall().department_choices()
    next(c for c in document["clerks"] if c["id"] == "c02")["left"] = "2026-12-01"
    store.configs.save(document, "office")
    config = enrol("w01").config().json()["config"]
    assert config["clerks"] == [{"id": "c01", "name": "c01"}, {"id": "c02", "name": "c02", "left": "2026-12-01"}]
    assert "departments" not in config["hall"] and config_from_dict(config).clerks["c02"].left.isoformat() == \
        "2026-12-01"
