"""The fact rules of :mod:`.facts` as msgspec types: a push's facts decoded and checked in C (the hub's reader).

``parse_batch(body, terminal, reader=read_body)``: msgspec decodes the body and checks each fact against a type made
from :data:`.facts.KINDS` (each check as the type holding exactly the JSON values it passes; its times then pass
:func:`.facts.parse_time`, as in :func:`.facts.parse_fact`), giving the same Facts ``parse_fact`` gives. A body it
refuses for any reason (an unknown field, a value out of range, not UTF-8, maybe a lone surrogate …) is read by the
wire's own reader, whose messages name what is wrong: msgspec only ever reads a valid body faster. The two readers
are held to the same answer on generated batches, valid and not (tests/protocol/test_fact_schema.py).
"""
from typing import Annotated, Any, Literal, Union

import msgspec
from msgspec import UNSET, Meta, Raw, Struct, UnsetType

from .errors import FactError
from .facts import (_ID, HANDOVER_REASONS, KINDS, MAX_MONO_MS, MAX_SEQ, POSTS, SCORES, _fact, _flag, _post, _reason,
                    _score, _service, _text, parse_time)
from .wire import _json, may_hold_surrogate

# each check of KINDS as the type of the JSON values it passes (a time: a string, then parse_time)
TYPE_OF_CHECK = {
    _post: Literal[POSTS],
    _flag: bool,
    _reason: Union[Literal[HANDOVER_REASONS], None],
    _score: Annotated[int, Meta(ge=min(SCORES), le=max(SCORES))],
    _service: Annotated[int, Meta(ge=1, le=MAX_SEQ)],
    _text: Union[Annotated[str, Meta(max_length=200)], None],
    parse_time: str,
}
_ID_TYPE = Annotated[str, Meta(pattern=f"^{_ID.pattern}")]
# the common fields in canonical order (``kind`` is the tag), as parse_fact checks them
COMMON_TYPES = (("terminal", _ID_TYPE), ("seq", Annotated[int, Meta(ge=1, le=MAX_SEQ)]), ("boot", _ID_TYPE),
                ("mono_ms", Annotated[int, Meta(ge=0, le=MAX_MONO_MS)]), ("wall", str),
                ("time", Union[str, None, UnsetType], UNSET))


def _kind_type(kind):
    """The Struct of a *kind* fact: tagged by ``kind``, the common fields then its own (an optional one UNSET)."""
    own = [(name, TYPE_OF_CHECK[check]) if required else (name, Union[TYPE_OF_CHECK[check], UnsetType], UNSET)
           for name, (check, required) in KINDS[kind].items()]
    return msgspec.defstruct(f"{kind}_fact", [*COMMON_TYPES, *own], tag_field="kind", tag=kind,
                             forbid_unknown_fields=True, kw_only=True)


# each kind's Struct: (the kind, its own fields in order, those of them that hold a time)
_KIND_OF = {_kind_type(kind): (kind, tuple(KINDS[kind]),
                               tuple(name for name, (check, _) in KINDS[kind].items() if check is parse_time))
            for kind in KINDS}
_fact_decoder = msgspec.json.Decoder(Union[tuple(_KIND_OF)])


class _Body(Struct, forbid_unknown_fields=True):
    """A push's body, each fact left as its JSON text."""

    facts: list[Raw]
    terminal: Any = UNSET
    store: Any = UNSET
    status: Any = UNSET


_body_decoder = msgspec.json.Decoder(_Body)


def read_body(body):
    """``protocol.wire``'s (JSON value, fact texts) of a push's *body*, its facts as Facts; a body this does not
    read (see the module) read by the wire's own reader."""
    if may_hold_surrogate(body):            # also any body not UTF-8 bytes
        return _json(body)
    try:
        envelope = _body_decoder.decode(body)
        texts = tuple(bytes(raw).decode() for raw in envelope.facts)
        facts = [_checked(_fact_decoder.decode(raw)) for raw in envelope.facts]
    except (msgspec.DecodeError, FactError, UnicodeDecodeError):
        return _json(body)
    data = {name: value for name in ("terminal", "store", "status") if (value := getattr(envelope, name)) is not UNSET}
    data["facts"] = facts
    return data, texts


def _checked(value):
    """The Fact ``parse_fact`` makes of the fact msgspec decoded as *value*, once its times pass ``parse_time``."""
    kind, own, times = _KIND_OF[value.__class__]
    terminal, seq, boot, mono_ms, wall, corrected, *values = msgspec.structs.astuple(value)
    raw = {"terminal": terminal, "seq": seq, "boot": boot, "mono_ms": mono_ms, "wall": wall}
    if corrected is not UNSET:
        raw["time"] = corrected
    raw["kind"] = kind
    data = {}
    for name, field in zip(own, values):
        if field is not UNSET:
            raw[name] = data[name] = field
    for name in times:
        if name in data:
            parse_time(data[name], name)
    return _fact(terminal, seq, boot, mono_ms, parse_time(wall, "wall"), kind, data,
                 None if corrected is None or corrected is UNSET else parse_time(corrected, "time"), raw)
