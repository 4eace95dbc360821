"""Terminal↔hub wire format: each kind of bad request refused with its own error."""
import json
import re

import pytest

from protocol import wire
from protocol.errors import BadSignature, BodyTooLarge, ForeignFacts, MalformedBatch, ReplayedNonce, StaleTimestamp

from .support import script

KEY = bytes.fromhex("11" * 32)
NOW = 1_795_000_000
PATH = "/api/v1/facts"


def signed(body, *, key=KEY, timestamp=NOW, nonce="ab" * 16, terminal="win-01"):
    return wire.signed_headers(key, terminal, "POST", PATH, body, timestamp=timestamp, nonce=nonce)


def verify(headers, body, *, nonces=None, now=NOW):
    return wire.verify(KEY, "POST", PATH, headers, body, now=now, nonces=nonces or wire.NonceRegistry())


def batch(**kw):
    s = script()
    s.presence("08:20", "A")
    return wire.encode_batch("win-01", "0123456789abcdef", s.facts, {"faults": []}, **kw)


def test_a_signed_batch_verifies_and_parses():
    body = batch()
    assert verify(signed(body), body) == "win-01"
    parsed = wire.parse_batch(body, "win-01")
    assert [f.kind for f in parsed.facts] == ["boot", "clock", "presence"] and parsed.store == "0123456789abcdef"


@pytest.mark.parametrize("tamper, error, message", [
    (lambda h, b: (h, b.replace(b'"A"', b'"B"')), BadSignature, "does not match"),
    (lambda h, b: (signed(b, key=b"wrong key"), b), BadSignature, "does not match"),
    (lambda h, b: (dict(h, **{wire.TIMESTAMP_HEADER: str(NOW + 1)}), b), BadSignature, "does not match"),
    (lambda h, b: (signed(b, timestamp=NOW - 301), b), StaleTimestamp, "301 s behind"),
    (lambda h, b: (signed(b, timestamp=NOW + 400), b), StaleTimestamp, "400 s ahead"),
    (lambda h, b: ({k: v for k, v in h.items() if k != wire.NONCE_HEADER}, b), BadSignature, "Nonce"),
    (lambda h, b: (h, b"x" * (10 * 1024 * 1024)), BodyTooLarge, "over the limit"),
])
def test_bad_requests_are_refused_each_with_its_own_error(tamper, error, message):
    body = batch()
    headers, body = tamper(signed(body), body)
    with pytest.raises(error, match=message):
        verify(headers, body)


def test_timestamp_exactly_at_the_allowed_skew_passes():
    body = batch()
    assert verify(signed(body, timestamp=NOW - 300), body) == "win-01"


def test_a_replayed_nonce_is_refused_even_with_a_valid_signature():
    body, nonces = batch(), wire.NonceRegistry()
    headers = signed(body)
    verify(headers, body, nonces=nonces)
    with pytest.raises(ReplayedNonce, match="already used"):
        verify(headers, body, nonces=nonces, now=NOW + 10)


def test_nonces_are_forgotten_after_the_replay_window():
    nonces = wire.NonceRegistry(ttl_s=100)
    nonces.check_and_add("win-01", "ab" * 16, now=0)
    nonces.check_and_add("win-01", "cd" * 16, now=150)
    nonces.check_and_add("win-01", "ab" * 16, now=160)       # expired, so accepted again
    with pytest.raises(ReplayedNonce):
        nonces.check_and_add("win-01", "cd" * 16, now=170)


@pytest.mark.parametrize("body, message", [
    (b"{not json", "not valid JSON"),
    (b"[]", "must be a JSON object"),
    (json.dumps({"terminal": "win-02", "store": "ab" * 8, "facts": []}).encode(), "signed by 'win-01'"),
    (json.dumps({"terminal": "win-01", "store": "nothex!", "facts": []}).encode(), "store"),
    (json.dumps({"terminal": "win-01", "store": "ab" * 8, "facts": {}}).encode(), "facts: must be an array"),
    (json.dumps({"terminal": "win-01", "store": "ab" * 8, "facts": [], "junk": 1}).encode(), "junk: unknown"),
    (json.dumps({"terminal": "win-01", "store": "ab" * 8, "facts": [{"kind": "presence"}]}).encode(),
     r"facts\[0\]\.terminal: missing"),
])
def test_malformed_batches_name_the_problem(body, message):
    with pytest.raises(MalformedBatch, match=message):
        wire.parse_batch(body, "win-01")


def test_a_fact_of_another_terminal_or_a_repeated_seq_is_refused():
    s = script()
    other = script("win-02")
    body = wire.encode_batch("win-01", "ab" * 8, s.facts + other.facts[:1])
    with pytest.raises(ForeignFacts, match=r"facts\[2\]\.terminal: 'win-02' is not the sending terminal"):
        wire.parse_batch(body, "win-01")
    body = wire.encode_batch("win-01", "ab" * 8, s.facts + s.facts[:1])
    with pytest.raises(MalformedBatch, match=r"facts\[2\]\.seq: 1 appears twice"):
        wire.parse_batch(body, "win-01")
    body = wire.encode_batch("win-01", "ab" * 8, s.facts * 600)
    with pytest.raises(MalformedBatch, match="over the limit of 1000"):
        wire.parse_batch(body, "win-01")


@pytest.mark.parametrize("text", [b"\\udc80", b"\\uD800", b"x\\ud83dy", b"\xed\xa0\x80"])
def test_a_lone_surrogate_escaped_or_as_bytes_is_refused(text):
    body = batch().replace(b'"A"', b'"' + text + b'"', 1)
    with pytest.raises(MalformedBatch, match="lone surrogate"):
        wire.parse_batch(body, "win-01")


def test_a_utf16_body_with_a_lone_surrogate_is_refused():
    body = batch().decode().replace('"A"', '"\\ud800"', 1)
    with pytest.raises(MalformedBatch, match="lone surrogate"):
        wire.parse_batch(body.encode("utf-16"), "win-01")


def test_a_surrogate_pair_is_one_character_and_passes():
    s = script()
    s.keypad("07:01", True, firmware="x")
    body = wire.encode_batch("win-01", "0123456789abcdef", s.facts).replace(b'"x"', b'"\\ud83d\\ude00"')
    assert wire.parse_batch(body, "win-01").facts[-1].data["firmware"] == "\U0001F600"


@pytest.mark.parametrize("dump", [
    lambda body: json.dumps(body, ensure_ascii=False, separators=(",", ":")),
    lambda body: json.dumps(body, indent=2),
    lambda body: " \r\n" + json.dumps(body, separators=(" , ", " : ")) + "\t\n",
])
def test_each_fact_keeps_its_text_as_sent(dump):
    s = script()
    s.presence("08:20", "A")
    s.keypad("08:21", True, firmware="固件 \"1\"")
    rows = s.facts
    text = dump({"terminal": "win-01", "store": "ab" * 8, "facts": rows, "status": {"faults": []}})
    parsed = wire.parse_batch(text.encode(), "win-01")
    assert len(parsed.texts) == len(rows) and parsed.facts[-1].data["firmware"] == "固件 \"1\""
    for fact_text, row in zip(parsed.texts, rows):
        assert fact_text in text and fact_text[0] == "{" and fact_text[-1] == "}" and json.loads(fact_text) == row


@pytest.mark.parametrize("text", [
    '{"terminal": "win-01", "facts": 1, "facts": []}',             # the last of a repeated key counts, as in json
    '{"facts": [], "facts": {}}',
    '{"facts": [1, 2]} x',
    '{"facts": [1 2]}',
    '{"facts": [1,]}',
    '{"facts": []',
    '{"facts" []}',
    '{1: []}',
    '{}',
    '\ufeff{"facts": []}',
    '{"facts": [], }',
    '{"facts": [{"a": [[[]]]}, NaN, "\\u00e9"]}',
    '[{"facts": []}]',
    '',
])
def test_the_body_reads_as_json_reads_it(text):
    """Reading the facts' texts as it parses must not change what a body means: the same value as json.loads, or
    json's own error."""
    try:
        expected = json.loads(text.encode())
    except ValueError as exc:
        with pytest.raises(MalformedBatch, match=re.escape(f"body: not valid JSON ({exc})")):
            wire._json(text.encode())
    else:
        data, texts = wire._json(text.encode())
        assert data == expected or repr(data) == repr(expected)        # NaN is not equal to itself
        if texts is not None:
            assert [json.loads(t) for t in texts] == data["facts"] or repr([json.loads(t) for t in texts]) == \
                repr(data["facts"])
