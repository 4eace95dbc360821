"""Load and check the hall configuration (TOML, or the JSON the hub serves to terminals).

Every problem raises :class:`ConfigError` whose message starts with its key path, e.g.
``windows[2].b: unknown clerk "c99"`` or ``sessions[1]: overlaps sessions[0] "morning" on mon``.
"""
import re
import tomllib
from dataclasses import fields, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError, FactError
from .facts import EARLIEST, LATEST, parse_time
from .integrity import Thresholds
from .hall import (APPROVERS, CLERK_NAMES, LEAVE_KINDS, WEEKDAYS, Clerk, HallConfig, Leave, Overtime, Permit,
                   Publication, Rules, Session, Window)

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")      # \Z: "$" would let a final newline in
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# C0 controls (ESC among them), DEL and C1 controls: a name holding one could drive the operator's terminal
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
SATISFIED_FROM = (3, 4)     # the lowest score a 满意率 counts: 3 counts every rating but 差评 (1–2)
SECTIONS = ("hall", "rules", "sessions", "calendar", "clerks", "windows", "leave", "permits", "overtime",
            "integrity", "public")


def load_config(text):
    """Parse and check a hall configuration from TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"hall.toml: not valid TOML ({exc})") from None
    return config_from_dict(data)


def _table(data, path):
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a table")
    return data


def _array(data, key):
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{key}: must be an array of tables ([[{key}]])")
    return [(f"{key}[{i}]", _table(item, f"{key}[{i}]")) for i, item in enumerate(value)]


def _keys(table, path, allowed, required=()):
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{path}.{key}: unknown key" if path else f"{key}: unknown section")
    for key in required:
        if key not in table:
            raise ConfigError(f"{path}.{key}: missing")


def _str(value, path, pattern=None):
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: must be a non-empty string, got {value!r}")
    if pattern is not None and not pattern.match(value):
        raise ConfigError(f"{path}: must be an id of letters, digits, '.', '_' or '-', got {value!r}")
    return _printable(value, path)


def _printable(value, path):
    """*value* (a name or a note: None passes), refused when not a string or holding a control character."""
    if value is None:
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{path}: must be a string, got {value!r}")
    found = CONTROL_CHARACTERS.search(value)
    if found:
        raise ConfigError(f"{path}: must not contain control characters, got U+{ord(found.group()):04X} in {value!r}")
    return value


def _clock(value, path):
    match = _HHMM.match(value) if isinstance(value, str) else None
    if not match:
        raise ConfigError(f"{path}: must be a time \"HH:MM\", got {value!r}")
    return time(int(match[1]), int(match[2]))


def _day(value, path):
    try:
        day = value if isinstance(value, date) else date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{path}: must be a date \"YYYY-MM-DD\", got {value!r}") from None
    if not EARLIEST.date() <= day < LATEST.date():
        raise ConfigError(f"{path}: {day.isoformat()} is outside {EARLIEST.date()}..{LATEST.year - 1}-12-31")
    return day


def _instant(value, path):
    if hasattr(value, "isoformat") and not isinstance(value, str):
        value = value.isoformat()
    try:
        return parse_time(value, path)
    except FactError as exc:
        raise ConfigError(str(exc)) from None


def _period(table, path):
    start, end = _instant(table["from"], f"{path}.from"), _instant(table["to"], f"{path}.to")
    if end <= start:
        raise ConfigError(f"{path}.to: must be after from ({table['from']})")
    return start, end


def _rules(table):
    known = {f.name: f for f in fields(Rules)}
    _keys(table, "rules", known)
    values = {}
    for key, value in table.items():
        if key == "trust_wall_clock":
            if not isinstance(value, bool):
                raise ConfigError(f"rules.{key}: must be true or false, got {value!r}")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"rules.{key}: must be a non-negative integer, got {value!r}")
        elif key == "satisfied_min_score" and value not in SATISFIED_FROM:
            raise ConfigError(f"rules.{key}: must be 3 (基本满意 and better) or 4 (满意 and better), got {value!r}")
        values[key] = value
    return Rules(**values)


def _integrity(table):
    """The [integrity] thresholds of 好差评 signals: counts and seconds non-negative, the odds within (0, 1)."""
    known = {f.name: f for f in fields(Thresholds)}
    _keys(table, "integrity", known)
    for key, value in table.items():
        if key == "top_run_odds":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
                raise ConfigError(f"integrity.{key}: must be a number between 0 and 1, got {value!r}")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"integrity.{key}: must be a non-negative integer, got {value!r}")
    return Thresholds(**table)


def _public(table):
    """[public]: ``enabled`` true or false, ``clerk_names`` one of none, surname, full."""
    _keys(table, "public", ("enabled", "clerk_names"))
    if not isinstance(table.get("enabled", False), bool):
        raise ConfigError(f"public.enabled: must be true or false, got {table['enabled']!r}")
    if table.get("clerk_names", "surname") not in CLERK_NAMES:
        raise ConfigError(f"public.clerk_names: must be one of {', '.join(CLERK_NAMES)}, got {table['clerk_names']!r}")
    return Publication(**table)


def _sessions(data):
    sessions = []
    for path, table in _array(data, "sessions"):
        _keys(table, path, ("name", "start", "end", "days"), ("name", "start", "end"))
        name = _str(table["name"], f"{path}.name")
        start, end = _clock(table["start"], f"{path}.start"), _clock(table["end"], f"{path}.end")
        if end <= start:
            raise ConfigError(f"{path}.end: must be after start {table['start']}, got {table['end']!r}")
        days = table.get("days", list(WEEKDAYS[:5]))
        if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
            raise ConfigError(f"{path}.days: must be a list of {', '.join(WEEKDAYS)}, got {days!r}")
        session = Session(name, start, end, frozenset(WEEKDAYS.index(d) for d in days))
        for j, other in enumerate(sessions):
            if other.name == name:
                raise ConfigError(f"{path}.name: duplicate session name {name!r}")
            shared = session.days & other.days
            if shared and start < other.end and other.start < end:
                raise ConfigError(f"{path}: overlaps sessions[{j}] {other.name!r} on "
                                  f"{WEEKDAYS[min(shared)]}")
        sessions.append(session)
    if not sessions:
        raise ConfigError("sessions: at least one [[sessions]] is required")
    return tuple(sessions)


def _department(table, path, departments):
    """The entry's department (None passes); refused when the hall declares its departments and this is not one."""
    department = _printable(table.get("department"), f"{path}.department")
    if department is not None and departments and department not in departments:
        raise ConfigError(f"{path}.department: {department!r} is not one of hall.departments "
                          f"({', '.join(departments)})")
    return department


def _departments(hall):
    """``[hall] departments``: the hall's departments, distinct non-empty names (empty: none declared)."""
    value = hall.get("departments", [])
    if not isinstance(value, list):
        raise ConfigError(f"hall.departments: must be an array of names, got {value!r}")
    for i, name in enumerate(value):
        _str(name, f"hall.departments[{i}]")
        if name in value[:i]:
            raise ConfigError(f"hall.departments[{i}]: {name!r} is listed twice")
    return tuple(value)


def _clerks(data, departments):
    """``[[clerks]]``: id, name, department, and ``left`` (调离: the first day they no longer serve)."""
    clerks = {}
    for path, table in _array(data, "clerks"):
        _keys(table, path, ("id", "name", "department", "left"), ("id", "name"))
        clerk_id = _str(table["id"], f"{path}.id", _ID)
        if clerk_id in clerks:
            raise ConfigError(f"{path}.id: duplicate clerk id {clerk_id!r}")
        left = _day(table["left"], f"{path}.left") if "left" in table else None
        clerks[clerk_id] = Clerk(clerk_id, _str(table["name"], f"{path}.name"),
                                 _department(table, path, departments), left)
    return clerks


def _serving(clerks, clerk_id, path, moment):
    """Refuse naming *clerk_id* for leave or overtime at *moment*, on or after the day they left (调离)."""
    clerk = clerks[clerk_id]
    if clerk.left is not None and moment.date() >= clerk.left:
        raise ConfigError(f"{path}: clerk {clerk_id!r} left the hall on {clerk.left.isoformat()}")


def _windows(data, clerks, departments):
    windows, a_of = [], {}
    for path, table in _array(data, "windows"):
        _keys(table, path, ("id", "name", "terminal", "a", "b", "department", "trust_wall_clock", "closed"),
              ("id", "name", "terminal", "a", "b"))
        ids = {k: _str(table[k], f"{path}.{k}", _ID) for k in ("id", "terminal", "a", "b")}
        for post in ("a", "b"):
            if ids[post] not in clerks:
                raise ConfigError(f"{path}.{post}: unknown clerk {ids[post]!r}")
        if ids["a"] == ids["b"]:
            raise ConfigError(f"{path}.b: must differ from a (both are {ids['a']!r})")
        for j, other in enumerate(windows):
            if other.id == ids["id"]:
                raise ConfigError(f"{path}.id: duplicate window id {ids['id']!r}")
            if other.terminal == ids["terminal"]:
                raise ConfigError(f"{path}.terminal: {ids['terminal']!r} already serves windows[{j}]")
        if ids["a"] in a_of:
            raise ConfigError(f"{path}.a: clerk {ids['a']!r} is already A of {a_of[ids['a']]!r}")
        a_of[ids["a"]] = ids["id"]
        trust = table.get("trust_wall_clock")
        if trust is not None and not isinstance(trust, bool):
            raise ConfigError(f"{path}.trust_wall_clock: must be true or false, got {trust!r}")
        closed = _day(table["closed"], f"{path}.closed") if "closed" in table else None
        windows.append(Window(ids["id"], _str(table["name"], f"{path}.name"), ids["terminal"], ids["a"], ids["b"],
                              _department(table, path, departments), trust, closed))
    return tuple(windows)


def _leave(data, clerks):
    leave = []
    for path, table in _array(data, "leave"):
        _keys(table, path, ("clerk", "from", "to", "kind", "approved_by", "cover"),
              ("clerk", "from", "to", "kind"))
        if table["clerk"] not in clerks:
            raise ConfigError(f"{path}.clerk: unknown clerk {table['clerk']!r}")
        if table["kind"] not in LEAVE_KINDS:
            raise ConfigError(f"{path}.kind: must be one of {', '.join(LEAVE_KINDS)}, got {table['kind']!r}")
        approved = table.get("approved_by", [])
        if not isinstance(approved, list) or any(a not in APPROVERS for a in approved):
            raise ConfigError(f"{path}.approved_by: must list approvers from {', '.join(APPROVERS)}, "
                              f"got {approved!r}")
        cover = table.get("cover")
        if cover is not None and cover not in clerks:
            raise ConfigError(f"{path}.cover: unknown clerk {cover!r}")
        start, end = _period(table, path)
        for key in ("clerk", "cover") if cover is not None else ("clerk",):
            _serving(clerks, table[key], f"{path}.{key}", start)
        leave.append(Leave(table["clerk"], start, end, table["kind"], tuple(approved), cover))
    return tuple(leave)


def _permits(data, windows):
    permits = []
    for path, table in _array(data, "permits"):
        _keys(table, path, ("window", "from", "to", "reason"), ("window", "from", "to"))
        if table["window"] not in windows:
            raise ConfigError(f"{path}.window: unknown window {table['window']!r}")
        reason = _printable(table.get("reason"), f"{path}.reason")
        permits.append(Permit(table["window"], *_period(table, path), reason))
    return tuple(permits)


def _duty_clerks(value, path, window):
    """R10's duty clerks (值班人员) of an overtime at *window*: its A clerk presses as A, anyone else as B."""
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{path}: must list the duty clerks, got {value!r}")
    b_post = None
    for i, clerk in enumerate(value):
        if clerk in value[:i]:
            raise ConfigError(f"{path}[{i}]: {clerk!r} is listed twice")
        if clerk != window.a and b_post is not None:
            raise ConfigError(f"{path}[{i}]: {clerk!r} would hold post B with {value[b_post]!r} at window "
                              f"{window.id!r} (one clerk per post; its A is {window.a!r})")
        b_post = i if clerk != window.a else b_post
    return tuple(value)


def _overtime(data, config):
    """R10 overtime spans: within one local day, clear of that day's sessions and the window's other spans."""
    spans = []
    for path, table in _array(data, "overtime"):
        _keys(table, path, ("window", "from", "to", "clerks", "approved_by"),
              ("window", "from", "to", "clerks", "approved_by"))
        window = config.window(table["window"])
        if window is None:
            raise ConfigError(f"{path}.window: unknown window {table['window']!r}")
        for i, clerk in enumerate(table["clerks"] if isinstance(table["clerks"], list) else ()):
            if not isinstance(clerk, str) or clerk not in config.clerks:
                raise ConfigError(f"{path}.clerks[{i}]: unknown clerk {clerk!r}")
        clerks = _duty_clerks(table["clerks"], f"{path}.clerks", window)
        start, end = (moment.astimezone(config.tz) for moment in _period(table, path))
        day = start.date()
        if not window.open_on(day):
            raise ConfigError(f"{path}.window: window {window.id!r} closed on {window.closed.isoformat()}")
        for i, clerk in enumerate(clerks):
            _serving(config.clerks, clerk, f"{path}.clerks[{i}]", start)
        if end > datetime.combine(day + timedelta(days=1), time(0), config.tz):
            raise ConfigError(f"{path}.to: must end on the day it starts ({day}), got {table['to']!r}")
        for session, s_start, s_end in config.sessions_on(day):
            if s_start < end and start < s_end:
                raise ConfigError(f"{path}: overlaps session {session.name!r} on {day}")
        for j, other in enumerate(spans):
            if other.window == window.id and other.start < end and start < other.end:
                raise ConfigError(f"{path}: overlaps overtime[{j}] of window {window.id!r}")
        spans.append(Overtime(window.id, start, end, clerks, _str(table["approved_by"], f"{path}.approved_by")))
    return tuple(spans)


def config_from_dict(data):
    """Check a configuration given as a dict (parsed TOML or the hub's JSON) and build it."""
    _keys(_table(data, "config"), "", SECTIONS, ())
    if "hall" not in data:
        raise ConfigError("hall: missing section [hall]")
    hall = _table(data["hall"], "hall")
    _keys(hall, "hall", ("id", "name", "timezone", "departments"), ("name", "timezone"))
    try:
        ZoneInfo(_str(hall["timezone"], "hall.timezone"))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"hall.timezone: unknown time zone {hall['timezone']!r}") from None
    calendar = _table(data.get("calendar", {}), "calendar")
    _keys(calendar, "calendar", ("holidays", "workdays"))
    departments = _departments(hall)
    clerks = _clerks(data, departments)
    windows = _windows(data, clerks, departments)
    config = HallConfig(
        name=_str(hall["name"], "hall.name"), timezone=hall["timezone"],
        rules=_rules(_table(data.get("rules", {}), "rules")), sessions=_sessions(data),
        holidays=frozenset(_day(d, f"calendar.holidays[{i}]") for i, d in enumerate(calendar.get("holidays", []))),
        workdays=frozenset(_day(d, f"calendar.workdays[{i}]") for i, d in enumerate(calendar.get("workdays", []))),
        clerks=clerks, windows=windows, leave=_leave(data, clerks),
        permits=_permits(data, {w.id for w in windows}),
        integrity=_integrity(_table(data.get("integrity", {}), "integrity")),
        public=_public(_table(data.get("public", {}), "public")),
        id=_str(hall["id"], "hall.id", _ID) if "id" in hall else None, departments=departments)
    return replace(config, overtime=_overtime(data, config))


def config_to_dict(config):
    """The configuration as a JSON-able dict with the TOML structure (``config_from_dict`` inverts it)."""
    rules = {f.name: getattr(config.rules, f.name) for f in fields(Rules)}
    return {
        "hall": _drop_none({"id": config.id, "name": config.name, "timezone": config.timezone,
                            "departments": list(config.departments) or None}),
        "rules": {k: v for k, v in rules.items() if v is not None},
        "sessions": [{"name": s.name, "start": s.start.strftime("%H:%M"), "end": s.end.strftime("%H:%M"),
                      "days": [WEEKDAYS[d] for d in sorted(s.days)]} for s in config.sessions],
        "calendar": {"holidays": sorted(d.isoformat() for d in config.holidays),
                     "workdays": sorted(d.isoformat() for d in config.workdays)},
        "clerks": [_drop_none({"id": c.id, "name": c.name, "department": c.department, "left": _iso(c.left)})
                   for c in config.clerks.values()],
        "windows": [_drop_none({"id": w.id, "name": w.name, "terminal": w.terminal, "a": w.a, "b": w.b,
                                "department": w.department, "trust_wall_clock": w.trust_wall_clock,
                                "closed": _iso(w.closed)})
                    for w in config.windows],
        "leave": [_drop_none({"clerk": lv.clerk, "from": lv.start.isoformat(), "to": lv.end.isoformat(),
                              "kind": lv.kind, "approved_by": list(lv.approved_by), "cover": lv.cover})
                  for lv in config.leave],
        "permits": [_drop_none({"window": p.window, "from": p.start.isoformat(), "to": p.end.isoformat(),
                                "reason": p.reason}) for p in config.permits],
        "overtime": [{"window": ot.window, "from": ot.start.isoformat(), "to": ot.end.isoformat(),
                      "clerks": list(ot.clerks), "approved_by": ot.approved_by} for ot in config.overtime],
        **({"integrity": integrity} if (integrity := _changed(config.integrity, Thresholds())) else {}),
        **({"public": public} if (public := _changed(config.public, Publication())) else {}),
    }


def _changed(values, defaults):
    """The fields of the dataclass *values* that differ from *defaults*, by name."""
    return {f.name: getattr(values, f.name) for f in fields(values)
            if getattr(values, f.name) != getattr(defaults, f.name)}
def _iso(day):
    return day.isoformat() if day is not None else None


def _drop_none(table):
    return {k: v for k, v in table.items() if v is not None}
