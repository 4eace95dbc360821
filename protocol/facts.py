"""Facts: what physically happened at a window terminal, as immutable validated records.

A fact is one JSON object (see ``shared/design/protocol.md``); a journal or an export is JSON Lines.
:func:`parse_fact` refuses unknown kinds and unknown fields with a message naming the field.
"""
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .errors import ConflictingFactError, FactError

POSTS = ("A", "B")
HANDOVER_REASONS = ("meeting", "trip", "training", "leave", "break", "other")
SCORES = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\Z")     # \Z: "$" would let a final newline in
COMMON_FIELDS = ("terminal", "seq", "boot", "mono_ms", "wall", "time", "kind")
# Times a terminal or a hall config may give: a Pi without a clock starts at the Unix epoch (in its own
# zone: 1969-12-31 in UTC west of Greenwich); nothing the hall records lies beyond this century (and date
# arithmetic near year 1 or 9999 overflows).
EARLIEST = datetime(1969, 12, 31, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)
# local years whose every time lies in EARLIEST..LATEST whatever its UTC offset (under a day either way): checking
# the year first spares most times the comparison of aware datetimes, a third of parsing a fact
SURELY_IN_RANGE = (1970, 2098)
MAX_SEQ = 2 ** 53 - 1                       # the largest integer every JSON reader keeps exact
MAX_MONO_MS = 100 * 366 * 24 * 3600 * 1000  # a century of uptime: more is no monotonic clock


def parse_time(value, name):
    """Parse an ISO 8601 time with a UTC offset in 1969-12-31..2099; raise FactError naming *name* otherwise."""
    if not isinstance(value, str):
        raise FactError(f"{name}: must be an ISO 8601 time string, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FactError(f"{name}: not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        raise FactError(f"{name}: time must carry a UTC offset, got {value!r}")
    if not SURELY_IN_RANGE[0] <= parsed.year <= SURELY_IN_RANGE[1] and not EARLIEST <= parsed < LATEST:
        raise FactError(f"{name}: {value!r} is outside 1969-12-31..2099-12-31 (UTC)")
    return parsed


def _identifier(value, name):
    if not isinstance(value, str) or not _ID.match(value):
        raise FactError(f"{name}: must be an id of 1-64 letters, digits, '.', '_', ':' or '-', got {value!r}")
    return value


def _count(value, name, minimum, maximum=MAX_SEQ):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        kind = "a positive integer" if minimum == 1 else "a non-negative integer"
        raise FactError(f"{name}: must be {kind}, got {value!r}")
    if value > maximum:
        raise FactError(f"{name}: {value} is over the limit of {maximum}")
    return value


def _post(value, name):
    if value not in POSTS:
        raise FactError(f"{name}: must be \"A\" or \"B\", got {value!r}")
    return value


def _flag(value, name):
    if not isinstance(value, bool):
        raise FactError(f"{name}: must be true or false, got {value!r}")
    return value


def _reason(value, name):
    if value is not None and value not in HANDOVER_REASONS:
        raise FactError(f"{name}: must be one of {', '.join(HANDOVER_REASONS)} or null, got {value!r}")
    return value


def _score(value, name):
    if not isinstance(value, int) or isinstance(value, bool) or value not in SCORES:   # 5.0 == 5, True == 1
        raise FactError(f"{name}: must be an integer score 1-5, got {value!r}")
    return value


def _text(value, name):
    if value is not None and (not isinstance(value, str) or len(value) > 200):
        raise FactError(f"{name}: must be a string of at most 200 characters or null, got {value!r}")
    return value


def _service(value, name):
    return _count(value, name, 1)


# kind -> {field: (validator, required)}
KINDS = {
    "presence": {"post": (_post, True), "on": (_flag, True)},
    "handover": {"post": (_post, True), "reason": (_reason, False)},
    "done": {"post": (_post, True)},
    "rating": {"service": (_service, True), "score": (_score, True)},
    "rating_missed": {"service": (_service, True)},
    "stray_key": {"key": (_score, True)},
    "keypad": {"attached": (_flag, True), "firmware": (_text, False)},
    "boot": {"software": (_text, True)},
    "clock": {"hub_time": (parse_time, True)},
}


ALLOWED_FIELDS = {kind: frozenset(COMMON_FIELDS) | frozenset(spec) for kind, spec in KINDS.items()}
# kind -> its fields in canonical order (the common ones, then its own), as ``Fact.raw`` holds them
FIELD_ORDER = {kind: COMMON_FIELDS + tuple(spec) for kind, spec in KINDS.items()}
_REQUIRED_COMMON = ("terminal", "seq", "boot", "mono_ms", "wall")
_REQUIRED_COMMON_SET = frozenset(_REQUIRED_COMMON)


def _canonical_shapes(kind):
    """{field list: its own fields with their checks} of every field list a *kind* fact may have in canonical order
    (optional fields present or not)."""
    own = KINDS[kind]
    optional = [name for name in FIELD_ORDER[kind]
                if name not in _REQUIRED_COMMON_SET and name != "kind" and not own.get(name, (None, False))[1]]
    shapes = set()
    for mask in range(2 ** len(optional)):
        left_out = {name for i, name in enumerate(optional) if mask >> i & 1}
        shapes.add(tuple(name for name in FIELD_ORDER[kind] if name not in left_out))
    return {shape: tuple((name, own[name][0]) for name in shape if name in own) for shape in shapes}


# kind -> {field list in canonical order, as terminals send them: the kind's own fields in it, with their checks}: a
# fact of one is known to hold every required field and no other, and is its own canonical ``raw``
CANONICAL_SHAPES = {kind: _canonical_shapes(kind) for kind in KINDS}


@dataclass(frozen=True)
class Fact:
    """One validated fact. ``data`` holds the kind's own fields (``post``, ``score`` …) as given."""

    terminal: str
    seq: int
    boot: str
    mono_ms: int
    wall: datetime
    kind: str
    data: dict = field(default_factory=dict, compare=True, hash=False)
    time: datetime | None = None
    raw: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def key(self):
        """The fact's identity: (terminal, seq)."""
        return (self.terminal, self.seq)

    def __getitem__(self, name):
        return self.data[name]

    def get(self, name, default=None):
        """The kind's field *name*, or *default*."""
        return self.data.get(name, default)

    def as_dict(self):
        """The fact as the JSON object it was parsed from (canonical field order)."""
        return dict(self.raw)

    def to_json(self):
        """One canonical JSON line (sorted keys, no spaces), stable across runs."""
        return json.dumps(self.raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def parse_fact(obj):
    """Validate a fact given as a dict and return a :class:`Fact`; raise :class:`FactError` otherwise."""
    if not isinstance(obj, dict):
        raise FactError(f"fact: must be a JSON object, got {type(obj).__name__}")
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        if "kind" not in obj:
            raise FactError("kind: missing")
        raise FactError(f"kind: unknown fact kind {kind!r} (known: {', '.join(KINDS)})")
    own = CANONICAL_SHAPES[kind].get(tuple(obj))
    if own is None:
        return parse_fact(_in_canonical_order(obj, kind))
    data = {}
    for name, check in own:
        check(value := obj[name], name)     # data keeps the value as given (a time stays its ISO string)
        data[name] = value
    corrected = obj.get("time")
    return _fact(_identifier(obj["terminal"], "terminal"), _count(obj["seq"], "seq", 1),
                 _identifier(obj["boot"], "boot"), _count(obj["mono_ms"], "mono_ms", 0, MAX_MONO_MS),
                 parse_time(obj["wall"], "wall"), kind, data, None if corrected is None else parse_time(corrected, "time"),
                 dict(obj))


def _in_canonical_order(obj, kind):
    """The fields of *obj*, a *kind* fact, in canonical order; FactError if one is unknown or a required one missing."""
    fields = obj.keys()
    if not fields <= ALLOWED_FIELDS[kind]:
        raise FactError(f"{min(fields - ALLOWED_FIELDS[kind])}: unknown field for a {kind} fact")
    if not fields >= _REQUIRED_COMMON_SET:
        raise FactError(f"{next(name for name in _REQUIRED_COMMON if name not in obj)}: missing")
    for name, (_, required) in KINDS[kind].items():
        if required and name not in obj:
            raise FactError(f"{name}: missing (required for a {kind} fact)")
    return {name: obj[name] for name in FIELD_ORDER[kind] if name in obj}


def _fact(terminal, seq, boot, mono_ms, wall, kind, data, time, raw):
    """A :class:`Fact` of fields already checked, set at once (the frozen dataclass's ``__init__`` sets each
    through ``object.__setattr__``: a third of the time of parsing a fact)."""
    fact = object.__new__(Fact)
    fact.__dict__.update(terminal=terminal, seq=seq, boot=boot, mono_ms=mono_ms, wall=wall, kind=kind, data=data,
                         time=time, raw=raw)
    return fact


def held_fact(raw, time=None):
    """The Fact of *raw*, a fact validated when it was first taken in (as a journal or a store holds it).

    It is not checked again, and *raw* becomes the fact's own. *time*, when given, is the fact's resolved
    time (written into ``raw`` too, as ISO); otherwise the fact keeps the ``time`` *raw* carries, if any.
    """
    if time is None:
        time = datetime.fromisoformat(raw["time"]) if raw.get("time") else None
    else:
        raw["time"] = time.isoformat()
    kind = raw["kind"]
    return _fact(raw["terminal"], raw["seq"], raw["boot"], raw["mono_ms"], datetime.fromisoformat(raw["wall"]), kind,
                 {k: raw[k] for k in KINDS[kind] if k in raw}, time, raw)


def parse_fact_line(line):
    """Parse one JSON Lines entry into a :class:`Fact`."""
    try:
        obj = json.loads(line)
    except ValueError as exc:
        raise FactError(f"fact: not valid JSON ({exc.msg} at column {exc.colno})") from None
    return parse_fact(obj)


def unique_facts(facts):
    """Drop exact duplicates by (terminal, seq); raise ConflictingFactError if two differ."""
    seen = {}
    for fact in facts:
        held = seen.get(fact.key)
        if held is None:
            seen[fact.key] = fact
        elif not same_fact(held.raw, fact.raw):
            raise ConflictingFactError(
                f"seq: terminal {fact.terminal} seq {fact.seq} was given twice with different contents")
    return list(seen.values())


def same_fact(raw, other):
    """Are two fact objects the same fact: equal in every field but ``time`` (a resolved time may be added)?"""
    return raw == other or _without_time(raw) == _without_time(other)


def _without_time(raw):
    return {k: v for k, v in raw.items() if k != "time"}
