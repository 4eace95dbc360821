"""Support for the rule engine tests: a two-window hall and helpers that judge scripted days."""
from datetime import date

import pytest

from protocol.config import load_config
from protocol.errors import ConfigError
from protocol.facts import parse_fact
from protocol.rules import derive
from protocol.scenario import TerminalScript

HALL = """
[hall]
name = "测试大厅"
timezone = "Asia/Shanghai"

[[sessions]]
name = "morning"
start = "08:30"
end = "12:00"

[[sessions]]
name = "afternoon"
start = "14:30"
end = "17:30"

[calendar]
holidays = ["2026-12-01"]
workdays = ["2026-11-29"]

[[clerks]]
id = "c01"
name = "张敏"
[[clerks]]
id = "c02"
name = "李娜"
[[clerks]]
id = "c03"
name = "王伟"
[[clerks]]
id = "c04"
name = "刘洋"

[[windows]]
id = "w01"
name = "1号窗口"
terminal = "win-01"
a = "c01"
b = "c02"

[[windows]]
id = "w02"
name = "2号窗口"
terminal = "win-02"
a = "c03"
b = "c04"
"""
# an approved evening span at w01 for c01 (R10), for the hall above and for the example hall alike
EVENING_DUTY = """
[[overtime]]
window = "w01"
from = "2026-11-24T18:30:00+08:00"
to = "2026-11-24T20:30:00+08:00"
clerks = ["c01"]
approved_by = "office"
"""

DAY = date(2026, 11, 24)   # a Tuesday


def hall_config(extra=""):
    """The test hall, with extra TOML appended (rules, leave, permits)."""
    text = HALL
    if extra.lstrip().startswith("[rules]"):
        text = text.replace("[[sessions]]", extra + "\n[[sessions]]", 1)
    else:
        text += extra
    return load_config(text)


def script(terminal="win-01", day=DAY, **kw):
    """A TerminalScript for the test hall's zone."""
    return TerminalScript(terminal, day, hall_config().tz, **kw)


def judge(config, *scripts, as_of="23:00", windows=None, day=DAY):
    """Derive the scripts' facts as of local *as_of* on *day* (the sessions are closed by default)."""
    facts = [parse_fact(f) for s in scripts for f in s.facts]
    moment = TerminalScript("x", day, config.tz, anchor=False).at(as_of)
    return derive(config, facts, as_of=moment, since=day, windows=windows)


def rows(report, table, **match):
    """The rows of *table* whose fields equal *match*."""
    return [r for r in report[table] if all(r.get(k) == v for k, v in match.items())]


def t(hhmm, day=DAY):
    """The report's time string for local ``HH:MM[:SS]`` on *day*."""
    parts = hhmm.split(":")
    if len(parts) == 2:
        parts.append("00")
    return f"{day.isoformat()}T{':'.join(parts)}+08:00"


def config_error(text, old, new, load=load_config):
    """The ConfigError message when *old* (which *text* must hold) becomes *new* in the TOML *text*."""
    assert old in text
    with pytest.raises(ConfigError) as caught:
        load(text.replace(old, new, 1))
    return str(caught.value)
