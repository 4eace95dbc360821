"""Hall configuration: TOML loaded and checked, errors naming the key path."""
import re

import pytest

from protocol.config import config_from_dict, config_to_dict, load_config
from protocol.errors import ConfigError
from protocol.hall import Publication

from .support import HALL, config_error, hall_config


def test_the_example_hall_loads_and_round_trips_through_json():
    from pathlib import Path
    config = load_config((Path(__file__).parents[2] / "hardware/hall/hall.toml").read_text(encoding="utf-8"))
    assert (len(config.windows), len(config.clerks), len(config.sessions)) == (8, 16, 2)
    assert config_from_dict(config_to_dict(config)) == config


@pytest.mark.parametrize("old, new, message", [
    ('b = "c02"', 'b = "c99"', "windows[0].b: unknown clerk 'c99'"),
    ('b = "c02"', 'b = "c01"', "windows[0].b: must differ from a (both are 'c01')"),
    ('start = "14:30"', 'start = "11:30"', "sessions[1]: overlaps sessions[0] 'morning' on mon"),
    ('end = "12:00"', 'end = "08:00"', "sessions[0].end: must be after start 08:30"),
    ('start = "08:30"', 'start = "8.30"', 'sessions[0].start: must be a time "HH:MM"'),
    ('terminal = "win-02"', 'terminal = "win-01"', "windows[1].terminal: 'win-01' already serves windows[0]"),
    ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"', "hall.timezone: unknown time zone"),
    ('holidays = ["2026-12-01"]', 'holidays = ["2026-13-01"]', "calendar.holidays[0]: must be a date"),
    ('[calendar]', '[calender]', "calender: unknown section"),
    ('a = "c03"', 'a = "c01"', "windows[1].a: clerk 'c01' is already A of 'w01'"),
])
def test_config_errors_name_the_key_path(old, new, message):
    assert config_error(HALL, old, new).startswith(message)


@pytest.mark.parametrize("extra, message", [
    ("[rules]\nempty_grace_s = -1\n", "rules.empty_grace_s: must be a non-negative integer"),
    ("[rules]\ngrace = 3\n", "rules.grace: unknown key"),
    ('[[leave]]\nclerk = "c09"\nfrom = "2026-11-24T08:30+08:00"\nto = "2026-11-24T12:00+08:00"\nkind = "sick"\n',
     "leave[0].clerk: unknown clerk 'c09'"),
    ('[[leave]]\nclerk = "c01"\nfrom = "2026-11-24T12:00+08:00"\nto = "2026-11-24T08:00+08:00"\nkind = "sick"\n',
     "leave[0].to: must be after from"),
    ('[[leave]]\nclerk = "c01"\nfrom = "2026-11-24T08:30+08:00"\nto = "2026-11-24T12:00+08:00"\nkind = "fun"\n',
     "leave[0].kind: must be one of"),
    ('[[leave]]\nclerk = "c01"\nfrom = "2026-11-24T08:30+08:00"\nto = "2026-11-24T12:00+08:00"\nkind = "sick"\n'
     'approved_by = ["boss"]\n', "leave[0].approved_by: must list approvers"),
    ('[[permits]]\nwindow = "w09"\nfrom = "2026-11-24T10:00+08:00"\nto = "2026-11-24T10:10+08:00"\n',
     "permits[0].window: unknown window 'w09'"),
    ('[[permits]]\nwindow = "w01"\nfrom = "2026-11-24T10:00"\nto = "2026-11-24T10:10+08:00"\n',
     "permits[0].from: time must carry a UTC offset"),
])
def test_rules_leave_and_permit_errors_name_the_key_path(extra, message):
    with pytest.raises(ConfigError) as caught:
        hall_config(extra)
    assert str(caught.value).startswith(message)


def test_invalid_toml_is_a_config_error():
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config("[hall\nname=")


def test_sessions_can_be_limited_to_weekdays():
    config = load_config(HALL.replace('end = "17:30"', 'end = "17:30"\ndays = ["mon", "wed"]'))
    from datetime import date
    assert [s.name for s, _, _ in config.sessions_on(date(2026, 11, 24))] == ["morning"]
    assert [s.name for s, _, _ in config.sessions_on(date(2026, 11, 25))] == ["morning", "afternoon"]


@pytest.mark.parametrize("old, new, message", [
    ('name = "张敏"', 'name = "张\\u001b[2J敏"', "clerks[0].name: must not contain control characters, got U+001B"),
    ('name = "1号窗口"', 'name = "1号\\u0085窗口"', "windows[0].name: must not contain control characters, got U+0085"),
    ('name = "测试大厅"', 'name = "测试\\u007f大厅"', "hall.name: must not contain control characters, got U+007F"),
    ('name = "李娜"', 'name = "李娜"\ndepartment = "民政\\r\\n假行"',
     "clerks[1].department: must not contain control characters, got U+000D"),
    ('holidays = ["2026-12-01"]', 'holidays = ["9999-12-31"]',
     "calendar.holidays[0]: 9999-12-31 is outside 1969-12-31..2099-12-31"),
])
def test_names_with_control_characters_and_dates_past_the_century_are_refused(old, new, message):
    assert config_error(HALL, old, new).startswith(message)


def test_a_permit_reason_with_an_escape_is_refused():
    permit = ('[[permits]]\nwindow = "w01"\nfrom = "2026-11-24T10:00+08:00"\nto = "2026-11-24T10:30+08:00"\n'
              'reason = "\\u001b]0;pwned\\u0007"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(HALL + permit)
    assert str(caught.value).startswith("permits[0].reason: must not contain control characters, got U+001B")


def test_what_a_hall_publishes_is_off_and_by_surname_unless_it_says_so():
    assert hall_config().public == Publication(enabled=False, clerk_names="surname")
    config = hall_config('\n[public]\nenabled = true\nclerk_names = "full"\n')
    assert (config.public.enabled, config.public.clerk_names) == (True, "full")
    assert config_from_dict(config_to_dict(config)).public == config.public
    assert "public" not in config_to_dict(hall_config())


@pytest.mark.parametrize("line, message", [
    ('enabled = "yes"', "public.enabled: must be true or false, got 'yes'"),
    ('clerk_names = "initials"', "public.clerk_names: must be one of none, surname, full, got 'initials'"),
])
def test_a_bad_public_section_is_refused_naming_the_key(line, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        hall_config(f"\n[public]\n{line}\n")


@pytest.mark.parametrize("value, message", [
    (3, None), (4, None),
    (5, "rules.satisfied_min_score: must be 3 (基本满意 and better) or 4 (满意 and better), got 5"),
])
def test_the_satisfied_share_counts_from_3_or_from_4(value, message):
    if message is None:
        assert hall_config(f"[rules]\nsatisfied_min_score = {value}\n").rules.satisfied_min_score == value
    else:
        with pytest.raises(ConfigError, match=re.escape(message)):
            hall_config(f"[rules]\nsatisfied_min_score = {value}\n")
