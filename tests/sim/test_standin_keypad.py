"""The Python stand-in keypad (used only without Node) speaks the real frames over a real pty."""
import os
import select
import sys
import time
import tty
from pathlib import Path

import pytest

from protocol import serial

ROOT = Path(__file__).resolve().parents[2]


class Link:
    """The terminal's end of the pty: frames out, frames in."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        self.decoder = serial.Decoder()

    def send(self, kind, *args):
        os.write(self.fd, serial.encode(kind, *args))

    def frames(self, wanted=1, timeout=5.0):
        got, deadline = [], time.monotonic() + timeout
        while len(got) < wanted and time.monotonic() < deadline:
            if select.select([self.fd], [], [], 0.05)[0]:
                got += self.decoder.feed(os.read(self.fd, 4096))
        return got


@pytest.fixture
def standin():
    from firmware.sim.keypads import Keypad
    keypad = Keypad(command=[sys.executable, "-m", "firmware.sim.standin_keypad"])
    link = Link(keypad.tty)
    yield keypad, link
    os.close(link.fd)
    keypad.close()


def test_the_stand_in_says_hello_rates_once_per_prompt_and_reports_strays(standin):
    keypad, link = standin
    assert not keypad.real_firmware and "stand-in" in keypad.label
    link.send(serial.IDENT)
    assert (serial.HELLO, ("standin-py-1.0",)) in link.frames()
    link.send(serial.PROMPT, 42, 60)
    assert keypad.wait_prompt() == 42
    assert keypad.rate(2)
    keypad.press(5)
    frames = [frame for frame in link.frames(3, timeout=2.0) if frame[0] != serial.HELLO]   # start-up HELLO
    assert frames == [(serial.RATE, (42, 2)), (serial.STRAY, (5,))]


def test_a_stand_in_prompt_expires(standin):
    keypad, link = standin
    link.send(serial.PROMPT, 7, 1)
    assert keypad.wait_prompt() == 7
    time.sleep(1.2)
    assert keypad.lamps()["prompt"] is None
