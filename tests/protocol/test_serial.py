"""Keypad serial frames under CPython: the shared vectors byte for byte, and a decoder that survives any bytes."""
import json
import random
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol import serial

VECTORS = json.loads((Path(serial.__file__).parent / "vectors" / "serial.json").read_text())


def vector_input(vector):
    """The bytes a decode vector feeds in."""
    if "input_hex" in vector:
        return bytes.fromhex(vector["input_hex"])
    return vector["input"].encode("ascii")


def expected_frames(vector):
    return [(kind, tuple(args)) for kind, args in vector["frames"]]


@pytest.mark.parametrize("vector", VECTORS["encode"], ids=lambda v: v["name"])
def test_encode_gives_the_vector_line_byte_for_byte(vector):
    assert serial.encode(vector["kind"], *vector["args"]) == vector["line"].encode("ascii")


@pytest.mark.parametrize("vector", VECTORS["encode"], ids=lambda v: v["name"])
def test_vector_checksum_is_zlib_crc32_of_the_text_between_dollar_and_star(vector):
    body, crc = vector["line"].rstrip("\n")[1:].split("*")
    assert crc == "%08X" % zlib.crc32(body.encode())


@pytest.mark.parametrize("vector", VECTORS["encode"], ids=lambda v: v["name"])
def test_vector_line_decodes_to_its_frame(vector):
    assert serial.Decoder().feed(vector["line"].encode()) == [(vector["kind"], tuple(vector["args"]))]


@pytest.mark.parametrize("vector", VECTORS["encode_errors"], ids=lambda v: v["name"])
def test_encode_refuses_a_bad_frame(vector):
    with pytest.raises(ValueError):
        serial.encode(vector["kind"], *vector["args"])


@pytest.mark.parametrize("vector", VECTORS["decode"], ids=lambda v: v["name"])
def test_decode_in_one_read_gives_frames_and_counts(vector):
    decoder = serial.Decoder()
    assert decoder.feed(vector_input(vector)) == expected_frames(vector)
    assert decoder.counts() == vector["counts"]


@pytest.mark.parametrize("vector", VECTORS["decode"], ids=lambda v: v["name"])
def test_decode_byte_by_byte_gives_the_same_frames(vector):
    decoder = serial.Decoder()
    frames = []
    for byte in vector_input(vector):
        frames += decoder.feed(bytes([byte]))
    assert frames == expected_frames(vector)


def test_bitwise_crc_matches_zlib_for_boards_without_binascii_crc32():
    rng = random.Random(7)
    for size in (0, 1, 9, 64, 300):
        data = bytes(rng.randrange(256) for _ in range(size))
        assert serial.crc32_bits(data) == zlib.crc32(data)


def test_every_kind_has_a_direction():
    assert sorted(serial.TO_KEYPAD + serial.TO_TERMINAL) == sorted(serial.FIELDS)


_frames = st.one_of(
    st.tuples(st.just(serial.PROMPT), st.integers(1, serial.MAX_INT), st.integers(1, 3600)),
    st.tuples(st.just(serial.RATE), st.integers(1, serial.MAX_INT), st.integers(1, 5)),
    st.tuples(st.just(serial.STRAY), st.integers(1, 5)),
    st.tuples(st.just(serial.PING), st.integers(0, serial.MAX_INT)),
    st.tuples(st.just(serial.HELLO), st.text(serial.VERSION_CHARS, min_size=1, max_size=32)),
    st.tuples(st.just(serial.IDENT)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=200), max_size=8))
def test_random_bytes_never_raise(chunks):
    decoder = serial.Decoder()
    for chunk in chunks:
        for kind, args in decoder.feed(chunk):
            assert kind in serial.FIELDS and len(args) == len(serial.FIELDS[kind])


@settings(max_examples=300, deadline=None)
@given(st.lists(_frames, min_size=1, max_size=6), st.lists(st.binary(max_size=40), max_size=6),
       st.randoms(use_true_random=False))
def test_frames_mixed_with_garbage_and_damage_never_yield_a_frame_that_was_not_sent(frames, noise, rng):
    sent = [(frame[0], tuple(frame[1:])) for frame in frames]
    stream = bytearray()
    for frame in sent:
        line = bytearray(serial.encode(frame[0], *frame[1]))
        if rng.random() < 0.3:
            line[rng.randrange(len(line) - 1)] ^= 1 << rng.randrange(8)
        stream += line
        if noise:
            stream += noise[rng.randrange(len(noise))]
    decoder = serial.Decoder()
    got = []
    cut = 0
    while cut < len(stream):
        step = rng.randrange(1, 50)
        got += decoder.feed(bytes(stream[cut:cut + step]))
        cut += step
    assert all(frame in sent for frame in got)


def test_undamaged_frames_survive_garbage_between_them():
    rng = random.Random(3)
    sent = [(serial.RATE, (n, n % 5 + 1)) for n in range(1, 200)]
    stream = b""
    for kind, args in sent:
        junk = bytes(rng.choice(b"abc\x00\xff*,") for _ in range(rng.randrange(0, 200)))
        stream += junk + b"\n" + serial.encode(kind, *args)
    assert serial.Decoder().feed(stream) == sent
