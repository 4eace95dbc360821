"""The simulated hall's configuration: the example hall cut (or grown) to N windows, with its clock rules
stretched so that a citizen pressing within two real seconds is still within the rating window."""
import json
import math
from pathlib import Path

from protocol.config import config_from_dict, config_to_dict, load_config

EXAMPLE_HALL = Path(__file__).resolve().parents[2] / "hardware" / "hall" / "hall.toml"
REAL_RATING_S = 2.0        # real seconds a simulated citizen may take to rate
REAL_HEARTBEAT_S = 1.0     # terminals call in at most about once a real second
MAX_RATING_WINDOW_S = 3600  # the keypad's PROMPT timeout field stops at an hour


def sim_hall(windows=8, *, speed=60.0, source=EXAMPLE_HALL):
    """The hall config document (dict) for *windows* windows at *speed*."""
    document = config_to_dict(load_config(Path(source).read_text(encoding="utf-8")))
    kept = document["windows"][:windows]
    clerks = {clerk["id"] for clerk in document["clerks"]}
    for n in range(len(kept) + 1, windows + 1):
        a, b = f"c{2 * n - 1:02d}", f"c{2 * n:02d}"
        for clerk in (a, b):
            if clerk not in clerks:
                document["clerks"].append({"id": clerk, "name": f"模拟职员{clerk[1:]}"})
                clerks.add(clerk)
        kept.append({"id": f"w{n:02d}", "name": f"{n}号窗口 模拟", "terminal": f"win-{n:02d}", "a": a, "b": b})
    document["windows"] = kept
    ids = {window["id"] for window in kept}
    document["permits"] = [p for p in document.get("permits", []) if p["window"] in ids]
    rules = document["rules"]
    rules["rating_window_s"] = min(MAX_RATING_WINDOW_S, max(rules["rating_window_s"], math.ceil(REAL_RATING_S * speed)))
    rules["heartbeat_s"] = max(rules["heartbeat_s"], math.ceil(REAL_HEARTBEAT_S * speed))
    config_from_dict(document)           # refuse to write a hall the rules would refuse
    return document


def to_toml(document):
    """TOML text of a config document (tables, arrays of tables, scalars and lists of scalars)."""
    lines = []
    for name, value in document.items():
        if isinstance(value, dict):
            lines += ["", f"[{name}]", *_pairs(value)]
        elif isinstance(value, list):
            for item in value:
                lines += ["", f"[[{name}]]", *_pairs(item)]
        else:
            lines.append(f"{name} = {_value(value)}")
    return "\n".join(lines).lstrip() + "\n"


def _pairs(table):
    return [f"{key} = {_value(value)}" for key, value in table.items() if value is not None]


def _value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"config value: cannot write {value!r} as TOML")
