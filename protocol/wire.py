"""Terminal↔hub wire format: signed JSON batches of facts.

Every request carries four headers; the signature is HMAC-SHA256, with the terminal's key, over::

    METHOD \\n PATH \\n TIMESTAMP \\n NONCE \\n hex(sha256(BODY))

:func:`verify` refuses, each with its own error: a body over the size limit (:class:`BodyTooLarge`),
missing or malformed headers or a wrong signature (:class:`BadSignature`), a timestamp more than
``max_skew_s`` from the hub's clock (:class:`StaleTimestamp`), a nonce already seen
(:class:`ReplayedNonce`). The hub answers with its time, so a terminal without a real-time clock signs
with hub-corrected time after its first exchange.
"""
import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from .errors import (BadSignature, BodyTooLarge, FactError, ForeignFacts, MalformedBatch, ReplayedNonce,
                     StaleTimestamp)
from .facts import Fact, parse_fact
from .status import check_status

TERMINAL_HEADER = "X-HallPost-Terminal"
TIMESTAMP_HEADER = "X-HallPost-Timestamp"
NONCE_HEADER = "X-HallPost-Nonce"
SIGNATURE_HEADER = "X-HallPost-Signature"
MAX_SKEW_S = 300
MAX_BODY_BYTES = 1024 * 1024
MAX_BATCH_FACTS = 1000
_STAMP = re.compile(r"^[0-9]{1,12}$")
_NONCE = re.compile(r"^[0-9a-f]{16,64}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
# a \uD800-\uDFFF escape, or a surrogate's own UTF-8 bytes (json.loads decodes bytes with surrogatepass)
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
_scan = json.JSONDecoder().scan_once            # (value, end) of the JSON value at an index; StopIteration if none
_SPACES = " \t\n\r"                               # JSON's whitespace
_WHITESPACE = re.compile(f"[{_SPACES}]*").match


def canonical_request(method, path, timestamp, nonce, body):
    """The bytes that are signed for one request."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{digest}".encode()


def sign(key, method, path, timestamp, nonce, body):
    """The hex HMAC-SHA256 of one request with *key* (bytes)."""
    return hmac.new(key, canonical_request(method, path, timestamp, nonce, body), hashlib.sha256).hexdigest()


def signed_headers(key, terminal, method, path, body, *, timestamp, nonce):
    """The headers a terminal sends with a request; *timestamp* is whole Unix seconds (hub-corrected)."""
    timestamp = int(timestamp)
    return {
        TERMINAL_HEADER: terminal,
        TIMESTAMP_HEADER: str(timestamp),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign(key, method, path, timestamp, nonce, body),
    }


class NonceRegistry:
    """Nonces seen within the replay window; ``ttl_s`` must cover twice the allowed skew."""

    def __init__(self, ttl_s=2 * MAX_SKEW_S + 60):
        self.ttl_s = ttl_s
        self._seen = {}

    def check_and_add(self, terminal, nonce, now):
        """Record (*terminal*, *nonce*) at *now*; raise ReplayedNonce if it was seen in the window."""
        self._expire(now)
        key = (terminal, nonce)
        if key in self._seen:
            raise ReplayedNonce(f"{NONCE_HEADER}: nonce {nonce} was already used")
        self._seen[key] = now

    def _expire(self, now):
        """Forget nonces older than the window (kept in insertion order, so the oldest come first)."""
        for key, seen_at in list(self._seen.items()):
            if now - seen_at <= self.ttl_s:
                break
            del self._seen[key]


def request_terminal(headers):
    """The terminal id a request claims to come from (for looking up its key), or raise BadSignature."""
    terminal = headers.get(TERMINAL_HEADER)
    if not terminal:
        raise BadSignature(f"{TERMINAL_HEADER}: missing header")
    return terminal


def verify(key, method, path, headers, body, *, now, nonces, max_skew_s=MAX_SKEW_S,
           max_body=MAX_BODY_BYTES):
    """Check a signed request; return the terminal id or raise the specific WireError."""
    if len(body) > max_body:
        raise BodyTooLarge(f"body: {len(body)} bytes is over the limit of {max_body} bytes")
    terminal = request_terminal(headers)
    stamp, nonce, signature = (headers.get(h) for h in (TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER))
    if stamp is None or not _STAMP.match(stamp):
        raise BadSignature(f"{TIMESTAMP_HEADER}: must be whole Unix seconds, got {stamp!r}")
    if nonce is None or not _NONCE.match(nonce):
        raise BadSignature(f"{NONCE_HEADER}: must be 16-64 lowercase hex digits, got {nonce!r}")
    if signature is None or not _HEX64.match(signature):
        raise BadSignature(f"{SIGNATURE_HEADER}: must be 64 lowercase hex digits")
    if not hmac.compare_digest(sign(key, method, path, int(stamp), nonce, body), signature):
        raise BadSignature(f"{SIGNATURE_HEADER}: signature does not match the request (wrong key or altered)")
    skew = int(stamp) - now
    if abs(skew) > max_skew_s:
        raise StaleTimestamp(f"{TIMESTAMP_HEADER}: {abs(skew):.0f} s {'ahead of' if skew > 0 else 'behind'} "
                             f"the hub's clock (allowed {max_skew_s} s)")
    nonces.check_and_add(terminal, nonce, now)
    return terminal


@dataclass(frozen=True)
class Batch:
    """A terminal's push: its facts, its journal's store id and its status (:mod:`protocol.status`); ``texts``
    holds each fact's JSON text as the terminal sent it (one for each of ``facts``)."""

    terminal: str
    store: str
    facts: tuple
    status: dict
    texts: tuple = ()


def encode_batch(terminal, store, facts, status=None):
    """The JSON body of a push; *facts* are dicts (or :class:`~protocol.facts.Fact`)."""
    rows = [f.as_dict() if hasattr(f, "as_dict") else f for f in facts]
    body = {"terminal": terminal, "store": store, "facts": rows, "status": status or {}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def parse_batch(body, terminal, *, max_facts=MAX_BATCH_FACTS, reader=None):
    """Validate a push body sent by *terminal*; raise MalformedBatch naming the problem. *reader* (default: this
    module's) gives the body's JSON value and its facts' texts, a fact already read as a Fact where it can
    (``protocol.fact_schema.read_body``, the hub's)."""
    data, texts = (reader or _json)(body)
    if not isinstance(data, dict):
        raise MalformedBatch("body: must be a JSON object")
    extra = sorted(set(data) - {"terminal", "store", "facts", "status"})
    if extra:
        raise MalformedBatch(f"{extra[0]}: unknown field in a batch")
    if data.get("terminal") != terminal:
        raise ForeignFacts(f"terminal: batch names {data.get('terminal')!r} but was signed by {terminal!r}")
    store = data.get("store")
    if not isinstance(store, str) or not re.match(r"^[0-9a-f]{8,64}$", store):
        raise MalformedBatch(f"store: must be the journal's hex store id, got {store!r}")
    rows, status = data.get("facts"), data.get("status", {})
    if not isinstance(rows, list):
        raise MalformedBatch("facts: must be an array")
    if len(rows) > max_facts:
        raise MalformedBatch(f"facts: {len(rows)} facts is over the limit of {max_facts} per batch")
    check_status(status)
    facts, seqs = [], set()
    for i, row in enumerate(rows):
        try:
            fact = row if row.__class__ is Fact else parse_fact(row)
        except FactError as exc:
            raise MalformedBatch(f"facts[{i}].{exc}") from None
        if fact.terminal != terminal:
            raise ForeignFacts(f"facts[{i}].terminal: {fact.terminal!r} is not the sending terminal {terminal!r}")
        if fact.seq in seqs:
            raise MalformedBatch(f"facts[{i}].seq: {fact.seq} appears twice in the batch")
        seqs.add(fact.seq)
        facts.append(fact)
    return Batch(terminal, store, tuple(facts), status, texts or ())


def _json(body):
    """(the JSON value of *body*, the JSON text of each element of its ``facts`` array as sent, or None when it
    has none); MalformedBatch if it is not JSON, nests too deep or holds a lone surrogate."""
    try:
        text = body.decode(json.detect_encoding(body), "surrogatepass") if isinstance(body, (bytes, bytearray)) \
            else body
        data, texts = _batch_object(text)
        if data is None:
            data = json.loads(text)     # not a batch's shape, or not JSON at all: json says what it is
        if may_hold_surrogate(body):
            json.dumps(data, ensure_ascii=False).encode()
    except RecursionError:
        raise MalformedBatch("body: JSON nested too deeply") from None
    except UnicodeEncodeError:
        raise MalformedBatch("body: a string holds a lone surrogate (\\ud800-\\udfff), which is no character") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedBatch(f"body: not valid JSON ({exc})") from None
    return data, texts


def _batch_object(text):
    """(the JSON object *text* holds, the text of each element of its ``facts`` array), read with json's own
    scanner; (None, None) when *text* is no JSON object with a ``facts`` array (the caller reads it again, with
    json's messages).

    The store keeps each fact's text as sent rather than encoding it again (2 µs of the ~20 storing a fact cost):
    the scanner that parses a value says where it ends, so each fact is parsed once and its text is a slice.
    """
    data, texts, i = {}, None, _skip(text, 0)
    if text[i:i + 1] != "{":
        return None, None
    i = _skip(text, i + 1)
    try:
        while True:
            key, i = _scan(text, i)
            i = _skip(text, i)
            if not isinstance(key, str) or text[i] != ":":
                return None, None
            i = _skip(text, i + 1)
            if key == "facts" and text[i] == "[":
                data[key], texts, i = _array(text, i)
            else:
                data[key], i = _scan(text, i)
            i = _skip(text, i)
            if text[i] == "}":
                break
            if text[i] != ",":
                return None, None
            i = _skip(text, i + 1)
    except (StopIteration, IndexError):
        return None, None
    if _skip(text, i + 1) != len(text) or not isinstance(data.get("facts"), list):
        return None, None
    return data, tuple(texts)


def _array(text, start):
    """(the JSON array at *start* of *text*, the text of each of its elements, the index after it)."""
    values, texts, i = [], [], _skip(text, start + 1)
    if text[i] == "]":
        return values, texts, i + 1
    while True:
        value, end = _scan(text, i)
        values.append(value)
        texts.append(text[i:end])
        if text[end] != ",":                    # the array's end, or whitespace
            end = _skip(text, end)
            if text[end] == "]":
                return values, texts, end + 1
            if text[end] != ",":
                raise StopIteration(end)
        i = end + 1
        if text[i] in _SPACES:
            i = _skip(text, i)


def _skip(text, i):
    """The index of the first non-whitespace character of *text* from *i* (JSON's whitespace)."""
    return _WHITESPACE(text, i).end()


def may_hold_surrogate(body):
    """Could *body* decode to a lone surrogate? Not a UTF-8 body with no surrogate escape or bytes in it. (Looking
    for the bytes every such escape or byte starts with comes first: a byte search is many times quicker than the
    expression's, and a terminal's batch seldom holds either.)"""
    return (not isinstance(body, (bytes, bytearray)) or json.detect_encoding(body) != "utf-8"
            or (b"\\u" in body or b"\xed" in body) and _SURROGATE.search(body) is not None)
