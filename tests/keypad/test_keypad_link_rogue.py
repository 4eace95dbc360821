"""Terminal ↔ a misbehaving keypad over a real pty pair: the test plays the Pico and floods the link."""
import os
import select
import time
import tty

import pytest

from firmware.terminal.keypad import KeypadLink
from protocol import serial


class RoguePico:
    """The keypad end of a pty pair, driven by the test."""

    def __init__(self):
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.devnode = os.ttyname(self.slave)
        self.decoder = serial.Decoder()

    def send(self, data):
        view = memoryview(data)
        while view:
            select.select([], [self.master], [], 5)
            view = view[os.write(self.master, view):]

    def frame(self, kind, *args):
        self.send(serial.encode(kind, *args))

    def expect(self, kind, timeout=5.0):
        """Read until a frame of *kind* arrives; its args."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if select.select([self.master], [], [], 0.05)[0]:
                for got, args in self.decoder.feed(os.read(self.master, 4096)):
                    if got == kind:
                        return args
        pytest.fail(f"the terminal sent no {kind}")

    def close(self):
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def pico():
    rogue = RoguePico()
    yield rogue
    rogue.close()


@pytest.fixture
def rogue_link(facts):
    link = KeypadLink(timeout_s=30, grace_s=0.3, retry_s=0.2, stray_burst=10, stray_refill_s=600)
    link.start(facts.report)
    yield link
    link.close()
    assert not link._thread.is_alive()


def test_garbage_and_key_floods_give_one_rating_and_bounded_stray_keys(rogue_link, facts, pico):
    rogue_link.attach(pico.devnode)
    pico.expect(serial.IDENT)
    pico.frame(serial.HELLO, "9.9.9")
    assert facts.next() == ("keypad", {"attached": True, "firmware": "9.9.9"})
    rogue_link.prompt(30)
    assert pico.expect(serial.PROMPT) == (30, 30)
    flood = bytes(range(256)) * 2000
    flood += serial.encode(serial.RATE, 30, 4) * 50 + serial.encode(serial.RATE, 31, 5)
    flood += b"$RATE,30,1*00000000\n" + serial.encode(serial.STRAY, 2) * 200
    pico.send(flood)
    assert facts.next() == ("rating", {"service": 30, "score": 4})
    strays = [facts.next() for _ in range(10)]
    assert strays == [("stray_key", {"key": 2})] * 10
    assert facts.none_within(0.5)
    assert rogue_link.counts["ignored_ratings"] == 50
    assert rogue_link.counts["dropped_strays"] == 190
    assert rogue_link.present


def test_frames_meant_for_the_keypad_coming_back_are_ignored(rogue_link, facts, pico):
    rogue_link.attach(pico.devnode)
    pico.expect(serial.IDENT)
    pico.frame(serial.HELLO, "1.1.0")
    assert facts.next()[0] == "keypad"
    pico.frame(serial.PROMPT, 40, 60)
    pico.frame(serial.RATE, 40, 5)
    assert facts.none_within(0.5)
    assert rogue_link.counts["ignored_ratings"] == 1


def test_keys_before_the_handshake_are_not_recorded(rogue_link, facts, pico):
    pico.frame(serial.STRAY, 1)
    rogue_link.attach(pico.devnode)
    pico.expect(serial.IDENT)
    pico.frame(serial.RATE, 1, 5)
    pico.frame(serial.STRAY, 3)
    pico.frame(serial.HELLO, "1.1.0")
    assert facts.next() == ("keypad", {"attached": True, "firmware": "1.1.0"})
    assert facts.none_within(0.3)


def test_device_that_never_says_hello_is_retried_and_never_recorded(rogue_link, facts, pico):
    rogue_link.attach(pico.devnode)
    for _ in range(5):
        pico.expect(serial.IDENT)
    assert not rogue_link.present
    assert facts.seen == []


def test_prompt_with_no_keypad_attached_is_rating_missed_at_the_timeout(facts):
    link = KeypadLink(timeout_s=1, grace_s=0.1).start(facts.report)
    try:
        link.prompt(50)
        started = time.monotonic()
        assert facts.next() == ("rating_missed", {"service": 50})
        assert time.monotonic() - started >= 1.0
    finally:
        link.close()
