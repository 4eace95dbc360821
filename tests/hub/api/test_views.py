"""The terminal API over real HTTP: each refusal has its exact status and leaves the store unchanged."""
import json
from datetime import timedelta

import pytest
import requests

from hub import create_app
from hub.api.replies import HUB_TIME_HEADER
from protocol.wire import MAX_BATCH_FACTS, MAX_BODY_BYTES

from ..conftest import DAY, HALL_TOML, TerminalClient, fingerprint, local, script


def morning():
    """win-03's morning: boot, anchor, A signs in, a service, its rating."""
    day = script()
    day.presence("08:20", "A", True)
    day.add("09:00", "done", post="A")
    day.add("09:00:20", "rating", service=4, score=5)
    return day.facts


pytestmark = pytest.mark.backends


@pytest.fixture
def db(app):
    return app.config["DATABASE"]


def refused(db, send, status):
    """The answer to *send()*, checked to be *status* and to leave the database at *db* unchanged."""
    before = fingerprint(db)
    answer = send()
    assert answer.status_code == status, answer.text
    assert fingerprint(db) == before
    return answer


def test_enrol_returns_the_key_once_and_refuses_the_code_again(server, store, db):
    code = store.terminals.new_enrolment_code("w03", "test")
    first = requests.post(server + "/api/v1/enrol", json={"code": code}, timeout=10)
    assert first.status_code == 201
    assert first.json()["terminal"] == "win-03"
    assert len(first.json()["key"]) == 64 and "hub_time" in first.json() and first.json()["acked"] == 0
    assert store.terminals.key("win-03") == bytes.fromhex(first.json()["key"])
    before = fingerprint(db)
    again = requests.post(server + "/api/v1/enrol", json={"code": code}, timeout=10)
    assert again.status_code == 403
    assert again.json()["error"] == "code: this enrolment code was already used"
    assert fingerprint(db) == before


@pytest.mark.parametrize("body, status, message", [
    ({"code": "AAAAAA-BBBBBB-CCCCCC"}, 403, "code: unknown enrolment code"),
    ({"code": ""}, 400, "code: must be a non-empty string"),
    ({"kode": "x"}, 400, "code: must be a non-empty string"),
    ([1, 2], 400, "body: must be a JSON object"),
])
def test_enrol_refuses_bad_codes(server, db, body, status, message):
    before = fingerprint(db)
    answer = requests.post(server + "/api/v1/enrol", json=body, timeout=10)
    assert (answer.status_code, answer.json()["error"]) == (status, message)
    assert fingerprint(db) == before


def test_enrol_refuses_an_expired_code(server, store, clock, db):
    code = store.terminals.new_enrolment_code("w03", "test")
    clock.advance(25 * 3600)
    answer = refused(db, lambda: requests.post(server + "/api/v1/enrol", json={"code": code}, timeout=10), 403)
    assert answer.json()["error"].startswith("code: this enrolment code expired at ")


def test_push_stores_facts_and_acks_the_highest_seq(terminal, store):
    facts = morning()
    answer = terminal.push(facts)
    assert answer.status_code == 200, answer.text
    assert answer.json()["acked"] == len(facts)
    assert HUB_TIME_HEADER in answer.headers and answer.json()["hub_time"]
    assert store.facts.count("win-03") == len(facts)
    assert store.terminals.get("win-03")["acked_seq"] == len(facts)


def test_identical_duplicates_are_accepted_once(terminal, store, db):
    facts = morning()
    assert terminal.push(facts[:3]).json()["acked"] == 3
    before = fingerprint(db)
    again = terminal.push(facts[:3])
    assert again.status_code == 200 and again.json()["acked"] == 3
    assert store.facts.count() == 3
    assert terminal.push(facts).json()["acked"] == len(facts)
    assert store.facts.count() == len(facts)
    assert before != fingerprint(db)


def test_gaps_are_stored_and_the_ack_stays_at_the_contiguous_end(terminal, store):
    facts = morning()
    gap = [f for f in facts if f["seq"] != 3]
    assert terminal.push(gap).json()["acked"] == 2
    assert store.facts.count() == len(facts) - 1

    def latest_held_up_to(seq):
        return store.conn.execute("SELECT MAX(at_us) FROM facts WHERE terminal = 'win-03' AND seq <= ?",
                                  (seq,)).fetchone()[0]
    assert store.terminals.get("win-03")["reported_to_us"] == latest_held_up_to(2)
    assert terminal.push([facts[2]]).json()["acked"] == len(facts)
    # the ack and "reported up to" run on through the facts held beyond the gap
    assert store.terminals.get("win-03")["reported_to_us"] == latest_held_up_to(len(facts)) > latest_held_up_to(2)


def test_same_seq_with_other_content_is_a_conflict(terminal, db):
    facts = morning()
    terminal.push(facts)
    before = fingerprint(db)
    forged = dict(facts[2], on=False)
    answer = terminal.push([forged])
    assert answer.status_code == 409
    assert answer.json()["error"] == "facts: seq 3 of win-03 is already held with different contents"
    assert fingerprint(db) == before


def test_a_batch_with_a_conflict_stores_none_of_its_facts(terminal, store, db):
    facts = morning()
    terminal.push(facts[:3])
    before = fingerprint(db)
    answer = terminal.push([dict(facts[2], on=False)] + facts[3:])
    assert answer.status_code == 409
    assert store.facts.count() == 3 and fingerprint(db) == before


def test_a_reset_journal_claiming_held_seqs_is_refused(terminal, db):
    facts = morning()
    terminal.push(facts)
    before = fingerprint(db)
    terminal.store_id = "feedfacecafe0001"
    answer = terminal.push(facts[:2])
    assert answer.status_code == 409
    assert "the journal was reset" in answer.json()["error"]
    assert fingerprint(db) == before


def test_a_replayed_request_is_refused(terminal, store, db):
    body = terminal.batch(morning())
    first = terminal.request("POST", "/api/v1/facts", body, nonce="ab" * 16)
    assert first.status_code == 200
    before = fingerprint(db)
    replay = terminal.request("POST", "/api/v1/facts", body, nonce="ab" * 16)
    assert replay.status_code == 409
    assert replay.json()["error"] == f"X-HallPost-Nonce: nonce {'ab' * 16} was already used"
    assert fingerprint(db) == before


def test_nonces_survive_a_hub_restart(terminal, app, clock, tmp_path):
    body = terminal.batch(morning())
    assert terminal.request("POST", "/api/v1/facts", body, nonce="cd" * 16).status_code == 200
    restarted = create_app({"DATABASE": app.config["DATABASE"], "HALL_CONFIG": str(HALL_TOML), "CLOCK": clock})
    from protocol.wire import signed_headers
    headers = signed_headers(terminal.key, "win-03", "POST", "/api/v1/facts", body,
                             timestamp=clock().timestamp(), nonce="cd" * 16)
    answer = restarted.test_client().post("/api/v1/facts", data=body,
                                          headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == 409


def test_a_tampered_body_is_refused(terminal, db):
    body = terminal.batch(morning())
    tampered = body.replace(b'"on":true', b'"on":false')
    before = fingerprint(db)
    from protocol.wire import signed_headers
    headers = signed_headers(terminal.key, "win-03", "POST", "/api/v1/facts", body,
                             timestamp=terminal.clock().timestamp(), nonce="ef" * 16)
    answer = terminal.http.post(terminal.base + "/api/v1/facts", data=tampered,
                                headers={**headers, "Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 401
    assert answer.json()["error"] == ("X-HallPost-Signature: signature does not match the request "
                                      "(wrong key or altered)")
    assert fingerprint(db) == before


def test_a_wrong_key_is_refused(terminal, db):
    before = fingerprint(db)
    answer = terminal.push(morning(), key=b"\x00" * 32)
    assert answer.status_code == 401
    assert "signature does not match" in answer.json()["error"]
    assert fingerprint(db) == before


def test_a_stale_timestamp_is_refused_with_its_own_message(terminal, clock, db):
    answer = refused(db, lambda: terminal.push(morning(), timestamp=clock().timestamp() - 3600), 401)
    assert answer.json()["error"] == ("X-HallPost-Timestamp: 3600 s behind the hub's clock (allowed 300 s)")


def test_an_unknown_terminal_is_refused(terminal, db):
    answer = refused(db, lambda: terminal.push(morning(), terminal="win-99"), 401)
    assert answer.json()["error"] == "terminal: 'win-99' is not enrolled (or its key was revoked)"


def test_a_revoked_terminal_is_refused(terminal, store, db):
    store.terminals.revoke("win-03", "test")
    before = fingerprint(db)
    assert terminal.push(morning()).status_code == 401
    assert fingerprint(db) == before


def test_an_oversize_body_is_refused(terminal, db):
    before = fingerprint(db)
    body = b'{"pad":"' + b"x" * MAX_BODY_BYTES + b'"}'
    answer = terminal.request("POST", "/api/v1/facts", body)
    assert answer.status_code == 413
    assert answer.json()["error"] == f"body: over the limit of {MAX_BODY_BYTES} bytes"
    assert fingerprint(db) == before


def test_a_batch_over_the_fact_limit_is_refused(terminal, db):
    day = script()
    for i in range(MAX_BATCH_FACTS):
        day.add(local(DAY, "09:00") + timedelta(seconds=i), "stray_key", key=3)
    answer = refused(db, lambda: terminal.push(day.facts), 400)
    assert answer.json()["error"] == f"facts: {len(day.facts)} facts is over the limit of {MAX_BATCH_FACTS} per batch"


def test_wrong_content_type_is_refused(terminal, db):
    answer = refused(db, lambda: terminal.push(morning(), content_type="text/plain"), 415)
    assert answer.json()["error"] == "Content-Type: must be application/json, got 'text/plain'"


def test_a_terminal_cannot_write_facts_of_another_window(enrol, db):
    win03, win04 = enrol("w03"), enrol("w04")
    before = fingerprint(db)
    theirs = script("win-04").facts
    answer = win03.push(theirs)
    assert answer.status_code == 403
    assert answer.json()["error"] == "facts[0].terminal: 'win-04' is not the sending terminal 'win-03'"
    named = win03.request("POST", "/api/v1/facts", win04.batch(theirs))
    assert named.status_code == 403
    assert named.json()["error"] == "terminal: batch names 'win-04' but was signed by 'win-03'"
    assert fingerprint(db) == before


@pytest.mark.parametrize("mutate, message", [
    (lambda f: f.update(kind="teleport"), "facts[0].kind: unknown fact kind 'teleport'"),
    (lambda f: f.update(seq=0), "facts[0].seq: must be a positive integer, got 0"),
    (lambda f: f.pop("wall"), "facts[0].wall: missing"),
])
def test_malformed_facts_are_refused_naming_the_field(terminal, db, mutate, message):
    facts = morning()
    mutate(facts[0])
    answer = refused(db, lambda: terminal.push(facts), 400)
    assert answer.json()["error"].startswith(message)


def test_invalid_json_is_refused(terminal, db):
    answer = refused(db, lambda: terminal.request("POST", "/api/v1/facts", b"{not json"), 400)
    assert answer.json()["error"].startswith("body: not valid JSON")


def test_config_has_an_etag_and_answers_304_when_current(terminal, store):
    answer = terminal.config()
    assert answer.status_code == 200
    etag = answer.json()["etag"]
    assert answer.headers["ETag"] == f'"{etag}"'
    assert answer.json()["config"]["hall"]["name"] == store.configs.hall().name
    assert answer.json()["version"] == 1
    current = terminal.config(etag)
    assert current.status_code == 304 and current.content == b""
    assert HUB_TIME_HEADER in current.headers


def test_config_needs_a_signature(server, terminal):
    answer = requests.get(server + "/api/v1/config", timeout=10)
    assert answer.status_code == 401
    assert answer.json()["error"] == "X-HallPost-Terminal: missing header"


def test_clock_gives_the_hub_time(server, clock):
    answer = requests.get(server + "/api/v1/clock", timeout=10)
    assert answer.status_code == 200
    assert answer.json() == {"hub_time": clock().isoformat()}
    assert answer.headers[HUB_TIME_HEADER] == clock().isoformat()


def test_openapi_lists_every_route(server, app):
    document = requests.get(server + "/api/v1/openapi.json", timeout=10).json()
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    assert set(document["paths"]) == routes
    assert json.loads(json.dumps(document))["openapi"].startswith("3.")


def test_a_second_client_with_the_same_key_shares_the_ack(terminal, clock):
    facts = morning()
    terminal.push(facts[:2])
    twin = TerminalClient(terminal.base, terminal.terminal, terminal.key, clock=clock, store_id=terminal.store_id)
    assert twin.push(facts[2:]).json()["acked"] == len(facts)
    twin.close()


def test_a_wiped_terminal_re_enrols_and_numbers_after_the_hubs_ack(terminal, server, store, clock):
    facts = morning()
    terminal.push(facts)
    code = store.terminals.new_enrolment_code("w03", "office")
    answer = requests.post(server + "/api/v1/enrol", json={"code": code}, timeout=10)
    assert answer.json()["acked"] == len(facts)
    fresh = TerminalClient(server, "win-03", bytes.fromhex(answer.json()["key"]), clock=clock)
    day = script(first_seq=answer.json()["acked"] + 1, boot="win-03-wiped")
    assert fresh.push(day.facts).json()["acked"] == len(facts) + len(day.facts)
    assert terminal.push(facts).status_code == 401          # the old key was replaced
    fresh.close()


def test_terminals_pushing_at_once_are_all_stored(enrol, store):
    from concurrent.futures import ThreadPoolExecutor
    clients = [enrol(w) for w in ("w01", "w02", "w03", "w04", "w05", "w06")]

    def push_day(client):
        day = script(client.terminal)
        for i in range(60):
            day.add(local(DAY, "09:00") + timedelta(seconds=30 * i), "done", post="A")
        return [client.push(day.facts[i:i + 7]).status_code for i in range(0, len(day.facts), 7)]

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = [s for result in pool.map(push_day, clients) for s in result]
    assert set(statuses) == {200}
    assert [store.terminals.get(c.terminal)["acked_seq"] for c in clients] == [62] * len(clients)
    assert store.facts.count() == 62 * len(clients)
