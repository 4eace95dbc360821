"""Keypad↔terminal serial frames: one checksummed ASCII line per frame (runs unchanged on MicroPython).

A frame is ``$KIND,field,field*CRC\\n``: ``CRC`` is the CRC-32 (``binascii.crc32``) of the text between
``$`` and ``*`` as eight upper-case hex digits. Fields are canonical decimal integers (no sign, no leading
zeros) or, for a firmware version, 1-32 characters of ``[A-Za-z0-9._+-]``; a reader may accept ``\\r\\n``.

Terminal → keypad: ``PROMPT(service, timeout_s)`` open a rating prompt for a service (the seq of its
``done`` fact), ``CANCEL(service)``, ``PING(n)``, ``IDENT``.
Keypad → terminal: ``HELLO(firmware)``, ``RATE(service, score)``, ``STRAY(key)``, ``PONG(n)``.
Scores and keys are 1-5 (5 非常满意 … 1 非常不满意).

A decoded frame is the tuple ``(kind, args)`` with ``args`` a tuple of ints/strs. This module keeps to
the MicroPython subset: no dataclasses, typing, f-strings or ``re``; ``binascii`` only.
"""
import binascii

PROMPT = "PROMPT"
CANCEL = "CANCEL"
PING = "PING"
IDENT = "IDENT"
HELLO = "HELLO"
RATE = "RATE"
STRAY = "STRAY"
PONG = "PONG"

MAX_LINE = 96
MAX_INT = 0x7FFFFFFF
VERSION_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-"

_SERVICE = ("int", 1, MAX_INT)
_TIMEOUT = ("int", 1, 3600)
_COUNTER = ("int", 0, MAX_INT)
_SCORE = ("int", 1, 5)
_VERSION = ("text", 1, 32)

FIELDS = {
    PROMPT: (_SERVICE, _TIMEOUT),
    CANCEL: (_SERVICE,),
    PING: (_COUNTER,),
    IDENT: (),
    HELLO: (_VERSION,),
    RATE: (_SERVICE, _SCORE),
    STRAY: (_SCORE,),
    PONG: (_COUNTER,),
}
TO_KEYPAD = (PROMPT, CANCEL, PING, IDENT)
TO_TERMINAL = (HELLO, RATE, STRAY, PONG)


def crc32_bits(data):
    """CRC-32 computed bit by bit, for boards whose binascii lacks crc32."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0xEDB88320 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


_crc32 = getattr(binascii, "crc32", None) or crc32_bits


def checksum(body):
    """The eight hex digits that close a frame whose text between ``$`` and ``*`` is *body* (bytes)."""
    return "%08X" % (_crc32(body) & 0xFFFFFFFF)


def _field_text(spec, value):
    if spec[0] == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not spec[1] <= value <= spec[2]:
            raise ValueError("field must be an integer %d-%d, got %r" % (spec[1], spec[2], value))
        return str(value)
    if not isinstance(value, str) or not spec[1] <= len(value) <= spec[2] or not _version_chars(value):
        raise ValueError("field must be %d-%d characters of %s, got %r" % (spec[1], spec[2], VERSION_CHARS, value))
    return value


def _version_chars(text):
    for char in text:
        if char not in VERSION_CHARS:
            return False
    return True


def encode(kind, *args):
    """The bytes of one frame, newline included; ValueError names a bad kind or field."""
    specs = FIELDS.get(kind)
    if specs is None:
        raise ValueError("unknown frame kind %r" % (kind,))
    if len(args) != len(specs):
        raise ValueError("%s takes %d fields, got %d" % (kind, len(specs), len(args)))
    body = kind
    for spec, value in zip(specs, args):
        body += "," + _field_text(spec, value)
    body = body.encode()
    return b"$" + body + b"*" + checksum(body).encode() + b"\n"


def _field_value(spec, text):
    if spec[0] == "int":
        if not text or not text.isdigit() or (len(text) > 1 and text[0] == "0") or len(text) > 10:
            return None
        value = int(text)
        return value if spec[1] <= value <= spec[2] else None
    return text if spec[1] <= len(text) <= spec[2] and _version_chars(text) else None


def _printable(line):
    for byte in line:
        if byte < 32 or byte > 126:
            return False
    return True


class Decoder:
    """Turns a byte stream into frames; counts and skips garbage, over-long lines, bad checksums and
    malformed frames, never raises on any input bytes and never yields a frame whose checksum fails."""

    def __init__(self, max_line=MAX_LINE):
        self.max_line = max_line
        self._line = b""
        self._overlong = False
        self.frames = 0
        self.garbage = 0
        self.too_long = 0
        self.bad_checksum = 0
        self.malformed = 0

    def counts(self):
        """The counters as a dict: frames, garbage, too_long, bad_checksum, malformed."""
        return {
            "frames": self.frames,
            "garbage": self.garbage,
            "too_long": self.too_long,
            "bad_checksum": self.bad_checksum,
            "malformed": self.malformed,
        }

    def feed(self, data):
        """Frames completed by *data* (bytes), oldest first, as ``(kind, args)`` tuples."""
        frames = []
        data = bytes(data)
        start = 0
        while start < len(data):
            newline = data.find(b"\n", start)
            end = len(data) if newline < 0 else newline
            self._take(data[start:end])
            if newline < 0:
                break
            self._end_line(frames)
            start = newline + 1
        return frames

    def _take(self, chunk):
        line = self._line + chunk
        if len(line) <= self.max_line:
            self._line = line
            return
        dollar = line.rfind(b"$")
        if dollar > 0 and len(line) - dollar <= self.max_line:
            self.garbage += 1
            self._line = line[dollar:]
            return
        if not self._overlong:
            self.too_long += 1
        self._overlong = True
        self._line = b""

    def _end_line(self, frames):
        line = self._line
        self._line = b""
        if line.endswith(b"\r"):
            line = line[:-1]
        dollar = line.rfind(b"$")
        if self._overlong:
            self._overlong = False
            if dollar < 0:
                return
        if dollar < 0:
            if line:
                self.garbage += 1
            return
        if dollar > 0:
            self.garbage += 1
        frame = self._parse(line[dollar + 1:])
        if frame is not None:
            self.frames += 1
            frames.append(frame)

    def _parse(self, text):
        star = text.rfind(b"*")
        if star < 0 or len(text) - star != 9 or not _printable(text):
            self.garbage += 1
            return None
        body = text[:star]
        if checksum(body).encode() != text[star + 1:]:
            self.bad_checksum += 1
            return None
        parts = body.decode().split(",")
        specs = FIELDS.get(parts[0])
        if specs is None or len(parts) - 1 != len(specs):
            self.malformed += 1
            return None
        args = []
        for spec, text_value in zip(specs, parts[1:]):
            value = _field_value(spec, text_value)
            if value is None:
                self.malformed += 1
                return None
            args.append(value)
        return (parts[0], tuple(args))
