"""The simulator's hall file and scripted day: what the clerks and citizens intend, derived."""
from collections import Counter
from datetime import date, timedelta

from firmware.sim.hallfile import sim_hall, to_toml
from firmware.sim.record import derived, differences, verdicts
from firmware.sim.run import chaos_plan, scenario
from firmware.sim.scenario import intended_facts
from protocol.config import config_from_dict, load_config

DAY = date(2026, 11, 24)


def test_the_hall_file_round_trips_and_stretches_the_clock_rules():
    document = sim_hall(10, speed=600)
    config = config_from_dict(document)
    assert load_config(to_toml(document)) == config
    assert [w.id for w in config.windows][-2:] == ["w09", "w10"]
    assert config.rules.rating_window_s == 1200 and config.rules.heartbeat_s == 600
    assert config_from_dict(sim_hall(2, speed=1)).rules.rating_window_s == 60


def test_the_day_intends_every_kind_of_verdict():
    config = config_from_dict(sim_hall(8, speed=600))
    steps = scenario(config, [DAY])
    rows, report = derived(config, intended_facts(config, steps))
    assert Counter(s.action for s in steps)["cut"] == 1 and Counter(s.action for s in steps)["kill"] == 1
    assert {"late", "absent", "off_post", "early_leave", "empty_window"} <= {v["kind"] for v in rows["violations"]}
    assert any(i["excused"] for i in report["empty_intervals"])       # the permit
    assert report["uncertain"] == [] and report["stray_keys"]
    assert differences(rows, rows) == [] and verdicts(rows) == verdicts(rows)


def test_differences_see_a_moved_time_and_a_missing_row():
    config = config_from_dict(sim_hall(2, speed=600))
    rows, _ = derived(config, intended_facts(config, scenario(config, [DAY])))
    moved = {table: [dict(row) for row in table_rows] for table, table_rows in rows.items()}
    moved["attendance"][0]["sign_in"] = "2026-11-24T08:25:00+08:00"
    moved["services"].pop()
    found = differences(rows, moved)
    assert len(found) == 3 and found[0].startswith("attendance")


def test_chaos_kills_stay_clear_of_the_window_s_own_steps():
    config = config_from_dict(sim_hall(4, speed=600))
    days = [DAY + timedelta(days=n) for n in range(2)]
    steps = scenario(config, days)
    plan = chaos_plan(config, steps, days, seed=7)
    kills = [s for s in plan if s.action == "kill"]
    assert kills and Counter(s.action for s in plan)["hub_restart"] == 2
    for kill in kills:
        assert all(abs(kill.at - s.at) > timedelta(minutes=25) for s in steps if s.window == kill.window)
