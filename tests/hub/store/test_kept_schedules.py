"""The month's schedules kept per config version (hub/store/reports.py): a new version lays its own out."""
from protocol.config import config_to_dict, load_config

from ..conftest import DAY, HALL_TOML


def scheduled(store, clerk="c05"):
    """*clerk*'s sessions scheduled in November 2026."""
    return next(line for line in store.reports.month_attendance(2026, 11) if line["clerk"] == clerk)["scheduled"]


def test_a_holiday_saved_after_a_report_takes_its_sessions_off_the_next(store):
    before = scheduled(store)
    assert scheduled(store) == before                       # the kept schedule
    config = config_to_dict(load_config(HALL_TOML.read_text(encoding="utf-8")))
    config["calendar"]["holidays"].append(DAY.isoformat())
    store.configs.save(config, "office")
    assert scheduled(store) == before - 2, "a holiday: its morning and afternoon are no one's duty"
