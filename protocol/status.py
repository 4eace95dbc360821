"""A window terminal's status, sent with each batch: its fault names, its keys and its limits.

The terminal builds it (:func:`terminal_status`); the hub refuses one over its limits (:func:`check_status`),
publishes its shape (:data:`SCHEMA`, in the OpenAPI document) and reads it for the live wall
(:func:`reported`). Every name is defined here once; the hub translates faults by these names.
"""
import json
from dataclasses import dataclass

from .errors import MalformedBatch, ProtocolError

# The faults a terminal reports, most urgent first (the order its online lamp follows).
JOURNAL_FULL = "journal_full"            # presses are refused until the hub takes the backlog
JOURNAL_NEAR_FULL = "journal_near_full"  # the hub must take the backlog soon
HUB_REJECTED = "hub_rejected"            # the hub refuses the terminal's facts or key
CLOCK_UNCERTAIN = "clock_uncertain"      # no clock anchor in this boot yet
NO_CONFIG = "no_config"                  # the hall configuration never arrived
KEYPAD_MISSING = "keypad_missing"        # the evaluation keypad is unplugged
HUB_UNREACHABLE = "hub_unreachable"      # the hub is away (facts are kept and sent later)
FAULTS = (JOURNAL_FULL, JOURNAL_NEAR_FULL, HUB_REJECTED, CLOCK_UNCERTAIN, NO_CONFIG, KEYPAD_MISSING,
          HUB_UNREACHABLE)
KEYPAD_COUNTS = ("ignored_ratings", "dropped_strays", "lost")    # frames the keypad link discarded, by reason

# Shown on the live wall every second, so kept small.
MAX_STATUS_BYTES = 4096
MAX_FAULTS = 32
MAX_FAULT_CHARS = 64

_COUNT = {"type": "integer", "minimum": 0}
SCHEMA = {"type": "object", "description": "what the terminal reports of itself, shown on the office's live wall",
          "properties": {"faults": {"type": "array", "maxItems": MAX_FAULTS,
                                    "items": {"type": "string", "maxLength": MAX_FAULT_CHARS}},
                         "journal_bytes": _COUNT,
                         "unsynced": _COUNT,
                         "keypad_present": {"type": "boolean"},
                         "keypad_counts": {"type": "object", "description": "frames the keypad link discarded",
                                           "properties": {name: _COUNT for name in KEYPAD_COUNTS}},
                         "hub_unreachable_since": {"type": "string", "format": "date-time", "nullable": True,
                                                   "description": "when the hub was first missed (null: reached)"}}}
KEYS = tuple(SCHEMA["properties"])


def terminal_status(*, faults, journal_bytes, unsynced, keypad_present, keypad_counts, hub_unreachable_since):
    """The status a terminal sends: its faults (sorted), journal size, backlog, keypad, since when the hub is away."""
    unknown = sorted(set(faults) - set(FAULTS))
    if unknown:
        raise ProtocolError(f"faults: {unknown[0]!r} is not one of {', '.join(FAULTS)}")
    since = None if hub_unreachable_since is None else hub_unreachable_since.isoformat(timespec="milliseconds")
    return {"faults": sorted(faults), "journal_bytes": journal_bytes, "unsynced": unsynced,
            "keypad_present": bool(keypad_present), "keypad_counts": dict(keypad_counts),
            "hub_unreachable_since": since}


def check_status(status):
    """Refuse a batch's status that is not a small object with at most MAX_FAULTS short fault names."""
    if not isinstance(status, dict):
        raise MalformedBatch("status: must be an object")
    size = len(json.dumps(status, ensure_ascii=False, separators=(",", ":")).encode())
    if size > MAX_STATUS_BYTES:
        raise MalformedBatch(f"status: {size} bytes is over the limit of {MAX_STATUS_BYTES} bytes")
    faults = status.get("faults", [])
    if not isinstance(faults, list) or not all(isinstance(f, str) for f in faults):
        raise MalformedBatch("status.faults: must be an array of fault names")
    if len(faults) > MAX_FAULTS:
        raise MalformedBatch(f"status.faults: {len(faults)} faults is over the limit of {MAX_FAULTS}")
    for i, fault in enumerate(faults):
        if len(fault) > MAX_FAULT_CHARS:
            raise MalformedBatch(f"status.faults[{i}]: {len(fault)} characters is over the limit of {MAX_FAULT_CHARS}")


@dataclass(frozen=True)
class Reported:
    """What the office is shown of a held status: faults, keypad attached (None: not said), stray keys dropped."""

    faults: tuple
    keypad_present: bool | None
    strays_dropped: int


def reported(status):
    """The :class:`Reported` of a held *status*; a field held malformed reads as not said (no faults, None, 0)."""
    faults = status.get("faults")
    counts = status.get("keypad_counts")
    dropped = counts.get("dropped_strays") if isinstance(counts, dict) else None
    present = status.get("keypad_present")
    return Reported(
        faults=tuple(f for f in faults if isinstance(f, str)) if isinstance(faults, list) else (),
        keypad_present=present if isinstance(present, bool) else None,
        strays_dropped=dropped if isinstance(dropped, int) and not isinstance(dropped, bool) and dropped > 0 else 0)
