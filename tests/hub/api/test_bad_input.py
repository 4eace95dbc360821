"""Hostile input on the terminal API over real HTTP: each is a precise 4xx that stores nothing, never a 5xx."""
import pytest
import requests

from ..conftest import fingerprint, script


pytestmark = pytest.mark.backends


@pytest.fixture
def db(app):
    return app.config["DATABASE"]


def enrol_raw(server, body):
    return requests.post(server + "/api/v1/enrol", data=body, headers={"Content-Type": "application/json"},
                         timeout=10)


def test_json_nested_100k_deep_on_enrol_is_a_400(server, db):
    before = fingerprint(db)
    answer = enrol_raw(server, b"[" * 100_000 + b"]" * 100_000)
    assert (answer.status_code, answer.json()["error"]) == (400, "body: JSON nested too deeply")
    assert fingerprint(db) == before


@pytest.mark.parametrize("code", ['"\\ud800"', '"AAAAAA-BBBBBB-\\udfff"', '"A" ', '"AAAAAA-BBBBBB-CCCCCG"'])
def test_an_enrolment_code_not_of_the_codes_form_is_a_400(server, db, code):
    before = fingerprint(db)
    answer = enrol_raw(server, b'{"code": ' + code.encode() + b"}")
    assert answer.status_code == 400
    assert answer.json()["error"] == "code: must be three groups of six hex digits, like 1A2B3C-4D5E6F-7A8B9C"
    assert fingerprint(db) == before


@pytest.mark.parametrize("stamp", ["²", "¹²³", "1" * 5000])
def test_a_timestamp_of_non_ascii_digits_or_thousands_of_them_is_a_401(terminal, db, stamp):
    before = fingerprint(db)
    answer = terminal.request("POST", "/api/v1/facts", terminal.batch([]),
                              headers={"X-HallPost-Timestamp": stamp})
    assert answer.status_code == 401
    assert answer.json()["error"].startswith("X-HallPost-Timestamp: must be whole Unix seconds, got ")
    assert fingerprint(db) == before


def morning(**change):
    """win-03's boot, anchor and sign-in, the sign-in (seq 3) changed by *change*."""
    day = script()
    day.presence("08:20", "A", True)
    day.facts[2].update(change)
    return day.facts


@pytest.mark.parametrize("change, message", [
    ({"seq": 2 ** 63}, f"facts[2].seq: {2 ** 63} is over the limit of {2 ** 53 - 1}"),
    ({"seq": 2 ** 53}, f"facts[2].seq: {2 ** 53} is over the limit of {2 ** 53 - 1}"),
    ({"mono_ms": 2 ** 62}, f"facts[2].mono_ms: {2 ** 62} is over the limit of 3162240000000"),
    ({"wall": "9999-12-31T23:59:59+00:00"}, "facts[2].wall: '9999-12-31T23:59:59+00:00' is outside "
                                            "1969-12-31..2099-12-31 (UTC)"),
    ({"time": "0001-01-01T00:00:00+00:00"}, "facts[2].time: '0001-01-01T00:00:00+00:00' is outside "
                                            "1969-12-31..2099-12-31 (UTC)"),
])
def test_numbers_and_times_past_what_the_store_holds_are_a_400(terminal, db, change, message):
    before = fingerprint(db)
    answer = terminal.push(morning(**change))
    assert (answer.status_code, answer.json()["error"]) == (400, message)
    assert fingerprint(db) == before


def test_a_lone_surrogate_in_a_pushed_fact_is_a_400(terminal, db):
    day = script()
    day.keypad("07:01", True, firmware="x")
    body = terminal.batch(day.facts).replace(b'"firmware":"x"', b'"firmware":"\\udc80"')
    before = fingerprint(db)
    answer = terminal.request("POST", "/api/v1/facts", body)
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("body: a string holds a lone surrogate")
    assert fingerprint(db) == before


def test_json_nested_deep_in_a_signed_push_is_a_400(terminal, db):
    before = fingerprint(db)
    answer = terminal.request("POST", "/api/v1/facts", b"[" * 100_000 + b"]" * 100_000)
    assert (answer.status_code, answer.json()["error"]) == (400, "body: JSON nested too deeply")
    assert fingerprint(db) == before
