"""A terminal's status: built by the terminal from the protocol's names, refused over its limits, read leniently."""
from datetime import datetime, timedelta, timezone

import pytest

from protocol import status
from protocol.errors import MalformedBatch, ProtocolError
from protocol.wire import encode_batch, parse_batch

SINCE = datetime(2026, 11, 24, 7, 10, 0, 250000, tzinfo=timezone(timedelta(hours=8)))


def sent(**changes):
    fields = dict(faults={status.JOURNAL_NEAR_FULL, status.HUB_UNREACHABLE}, journal_bytes=123456, unsynced=40,
                  keypad_present=True, keypad_counts=dict.fromkeys(status.KEYPAD_COUNTS, 0),
                  hub_unreachable_since=SINCE)
    return status.terminal_status(**{**fields, **changes})


def test_a_terminals_status_has_exactly_the_schemas_keys_and_passes_the_hubs_check():
    built = sent()
    assert tuple(built) == status.KEYS
    assert built["faults"] == ["hub_unreachable", "journal_near_full"]
    assert built["hub_unreachable_since"] == "2026-11-24T07:10:00.250+08:00"
    assert parse_batch(encode_batch("win-03", "0123abcd", [], built), "win-03").status == built


def test_a_reached_hub_and_no_keypad_read_as_null_and_false():
    built = sent(faults=set(), keypad_present=None, keypad_counts={}, hub_unreachable_since=None)
    assert (built["faults"], built["keypad_present"], built["hub_unreachable_since"]) == ([], False, None)


def test_a_fault_the_protocol_does_not_name_is_refused_naming_it():
    with pytest.raises(ProtocolError, match="faults: 'lamp_broken' is not one of journal_full, "):
        sent(faults={"lamp_broken", status.NO_CONFIG})


def test_every_fault_name_fits_the_limits():
    assert len(set(status.FAULTS)) == len(status.FAULTS) <= status.MAX_FAULTS
    assert max(len(name) for name in status.FAULTS) <= status.MAX_FAULT_CHARS
    status.check_status(sent(faults=set(status.FAULTS)))


@pytest.mark.parametrize("held, message", [
    ([], "status: must be an object"),
    ({"faults": "hub_unreachable"}, "status.faults: must be an array of fault names"),
    ({"faults": ["a"] * (status.MAX_FAULTS + 1)},
     f"status.faults: {status.MAX_FAULTS + 1} faults is over the limit of {status.MAX_FAULTS}"),
    ({"faults": ["x" * (status.MAX_FAULT_CHARS + 1)]},
     f"status.faults[0]: {status.MAX_FAULT_CHARS + 1} characters is over the limit of {status.MAX_FAULT_CHARS}"),
])
def test_the_hub_refuses_a_status_naming_the_problem(held, message):
    with pytest.raises(MalformedBatch) as refused:
        status.check_status(held)
    assert str(refused.value) == message


def test_the_schema_publishes_the_limits():
    faults = status.SCHEMA["properties"]["faults"]
    assert (faults["maxItems"], faults["items"]["maxLength"]) == (status.MAX_FAULTS, status.MAX_FAULT_CHARS)
    assert tuple(status.SCHEMA["properties"]["keypad_counts"]["properties"]) == status.KEYPAD_COUNTS


@pytest.mark.parametrize("held, shown", [
    ({}, status.Reported((), None, 0)),
    (sent(keypad_counts={"dropped_strays": 37}), status.Reported(("hub_unreachable", "journal_near_full"), True, 37)),
    ({"faults": ["keypad_missing", 3, None], "keypad_present": False}, status.Reported(("keypad_missing",), False, 0)),
    ({"faults": "keypad_missing", "keypad_present": "yes", "keypad_counts": {"dropped_strays": "x"}},
     status.Reported((), None, 0)),
    ({"keypad_counts": {"dropped_strays": True}}, status.Reported((), None, 0)),
    ({"keypad_counts": {"dropped_strays": -4}}, status.Reported((), None, 0)),
    ({"keypad_counts": [12]}, status.Reported((), None, 0)),
])
def test_a_held_status_reads_malformed_fields_as_not_said(held, shown):
    assert status.reported(held) == shown
