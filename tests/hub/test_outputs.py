"""What a terminal's status can put in front of the office: bounded in size, and no control characters on
the operator's text wall (``hallpost hub wall``)."""
import argparse
import io

import pytest

from hub import wall_text
from protocol.status import MAX_FAULT_CHARS, MAX_FAULTS, MAX_STATUS_BYTES

from .conftest import DAY, fingerprint, local, script


@pytest.fixture
def db(app):
    return app.config["DATABASE"]


@pytest.mark.parametrize("status, message", [
    ({"faults": ["x"] * 80_000}, None),             # the 6.7 MB wall.json
    ({"faults": [f"fault_{i}" for i in range(MAX_FAULTS + 1)]},
     f"status.faults: {MAX_FAULTS + 1} faults is over the limit of {MAX_FAULTS}"),
    ({"faults": ["journal_full", "x" * (MAX_FAULT_CHARS + 1)]},
     f"status.faults[1]: {MAX_FAULT_CHARS + 1} characters is over the limit of {MAX_FAULT_CHARS}"),
    ({"faults": [], "note": "x" * MAX_STATUS_BYTES}, None),
    ({"faults": "journal_full"}, "status.faults: must be an array of fault names"),
    ({"faults": [1, 2]}, "status.faults: must be an array of fault names"),
])
def test_a_status_over_its_limits_is_refused_naming_the_limit(terminal, db, status, message):
    before = fingerprint(db)
    answer = terminal.push(script().facts, status=status)
    assert answer.status_code == 400
    error = answer.json()["error"]
    if message is None:
        assert error.startswith("status: ") and error.endswith(f"bytes is over the limit of {MAX_STATUS_BYTES} bytes")
    else:
        assert error == message
    assert fingerprint(db) == before


def test_a_terminals_usual_status_is_held(terminal, store):
    status = {"faults": ["hub_unreachable", "journal_near_full"], "journal_bytes": 123456, "unsynced": 40,
              "keypad_present": True, "keypad_counts": {"dropped_strays": 3, "ignored_ratings": 0, "lost": 0},
              "hub_unreachable_since": "2026-11-24T07:10:00+08:00"}
    assert terminal.push(script().facts, status=status).status_code == 200
    assert store.terminals.get("win-03")["status"] == status


def test_escape_sequences_in_a_fault_never_reach_the_operators_screen(terminal, db, clock, monkeypatch):
    clock.set(local(DAY, "08:25"))
    day = script()
    day.presence("08:20", "A", True)
    forged = "\x1b[2J\x1b[HALL CLEAR\x07\x9b31m\x7f"
    assert terminal.push(day.facts, status={"faults": [forged]}).status_code == 200
    monkeypatch.setenv("HALLPOST_CLOCK", f"scaled:{local(DAY, '08:25').isoformat()}@1x")   # the hub's time
    args = argparse.Namespace(db=db, once=True, every=1.0, lang="en")
    out = io.StringIO()
    assert wall_text.run(args, out=out) == 0
    text = out.getvalue()
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7f <= ord(c) <= 0x9f for c in text)
    lines = text.splitlines()
    w03 = next(i for i, line in enumerate(lines) if line.startswith("w03"))
    assert "Post A · " in lines[w03] and "[2J[HALL CLEAR31m" in lines[w03 + 1]
