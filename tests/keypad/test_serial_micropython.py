"""The shared serial vectors, byte for byte, with protocol/serial.py running in real MicroPython."""
import json
from pathlib import Path

import pytest

from .keypad_mp import micropython_missing, run_micropython

pytestmark = pytest.mark.micropython

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "protocol" / "vectors" / "serial.json").read_text())

CHECK_VECTORS = r'''
import binascii, json
from protocol import serial
from keypad_host import report

vectors = json.load(open("/vectors/serial.json"))

def frames_of(decoder, data):
    return [[kind, list(args)] for kind, args in decoder.feed(data)]

def raw(vector):
    if "input_hex" in vector:
        return binascii.unhexlify(vector["input_hex"])
    return vector["input"].encode()

encoded = {}
for vector in vectors["encode"]:
    encoded[vector["name"]] = binascii.hexlify(serial.encode(vector["kind"], *vector["args"])).decode()
refused = {}
for vector in vectors["encode_errors"]:
    try:
        serial.encode(vector["kind"], *vector["args"])
        refused[vector["name"]] = None
    except ValueError:
        refused[vector["name"]] = "ValueError"
decoded = {}
for vector in vectors["decode"]:
    data = raw(vector)
    whole = serial.Decoder()
    one = frames_of(whole, data)
    single = serial.Decoder()
    bytewise = []
    for index in range(len(data)):
        bytewise += frames_of(single, data[index:index + 1])
    decoded[vector["name"]] = {"frames": one, "counts": whole.counts(), "bytewise": bytewise}
bits = serial.crc32_bits(b"RATE,12,5") == binascii.crc32(b"RATE,12,5")
report(encoded=encoded, refused=refused, decoded=decoded, bits=bits)
'''


@pytest.fixture(scope="module")
def under_micropython():
    why = micropython_missing()
    if why:
        pytest.skip(why)
    return run_micropython(CHECK_VECTORS)


@pytest.mark.parametrize("vector", VECTORS["encode"], ids=lambda v: v["name"])
def test_micropython_encodes_the_vector_line_byte_for_byte(under_micropython, vector):
    assert bytes.fromhex(under_micropython["encoded"][vector["name"]]) == vector["line"].encode("ascii")


@pytest.mark.parametrize("vector", VECTORS["encode_errors"], ids=lambda v: v["name"])
def test_micropython_refuses_the_bad_frame(under_micropython, vector):
    assert under_micropython["refused"][vector["name"]] == "ValueError"


@pytest.mark.parametrize("vector", VECTORS["decode"], ids=lambda v: v["name"])
def test_micropython_decodes_the_stream(under_micropython, vector):
    got = under_micropython["decoded"][vector["name"]]
    assert got["frames"] == vector["frames"]
    assert got["bytewise"] == vector["frames"]
    assert got["counts"] == vector["counts"]


def test_micropython_bitwise_crc_matches_its_binascii(under_micropython):
    assert under_micropython["bits"] is True
