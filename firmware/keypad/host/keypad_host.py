"""Test harness inside MicroPython: the keypad board on fake pins, a scripted clock and a wire."""
import binascii
import json
import time

import board
from machine import Pin
from protocol import serial


class Wire:
    """The keypad's link as a test sees it: bytes queued for the keypad, bytes it wrote."""

    def __init__(self):
        self.inbound = b""
        self.outbound = b""

    def read(self):
        data, self.inbound = self.inbound, b""
        return data

    def write(self, data):
        self.outbound += data


class Bench:
    """The keypad firmware on fake pins with time advanced by the test, in milliseconds."""

    def __init__(self, start=True):
        self.wire = Wire()
        self.keypad = board.build(self.wire)
        self.now = 0
        self._decoder = serial.Decoder()
        if start:
            self.keypad.start()

    def run(self, ms, step=5):
        """Let *ms* pass, the firmware stepping every *step* ms like its main loop."""
        end = self.now + ms
        while self.now < end:
            self.now += step
            self.keypad.step(self.now)

    def send(self, kind, *args):
        """Queue a frame from the terminal."""
        self.wire.inbound += serial.encode(kind, *args)

    def level(self, key, level):
        """Set key *key*'s pin level (0 pressed, 1 released)."""
        Pin.made[board.KEY_GPIOS[key - 1]].drive(level)

    def press(self, key, hold=100):
        """Press *key* cleanly for *hold* ms, then release it and wait as long again."""
        self.level(key, 0)
        self.run(hold)
        self.level(key, 1)
        self.run(hold)

    def bounce(self, key, pattern, step=10):
        """Drive *key* through the levels in *pattern*, one per *step* ms (a bouncing contact)."""
        for level in pattern:
            self.level(key, level)
            self.run(step)

    def frames(self):
        """Frames the keypad wrote since the last call, as lists."""
        data, self.wire.outbound = self.wire.outbound, b""
        return [[kind, list(args)] for kind, args in self._decoder.feed(data)]

    def lamps(self):
        """Lit lamps: {"rate": 0/1, "keys": [lit keys]}."""
        keys = [n + 1 for n, gpio in enumerate(board.LAMP_GPIOS) if Pin.made[gpio].value()]
        return {"rate": Pin.made[board.RATE_LAMP_GPIO].value(), "keys": keys}


def report(**results):
    """Print the results for the test on one tagged line."""
    print("RESULT " + json.dumps(results))


class Bridge:
    """The keypad on fake pins in real time, for ``run.mjs --serve``: link bytes as hex, control as JSON."""

    def __init__(self):
        self.wire = Wire()
        self.keypad = board.build(self.wire)
        self.keypad.start()

    def step(self, hex_in):
        """Feed the hex bytes that arrived from the terminal, step once, return what the keypad wrote as hex."""
        self.wire.inbound += binascii.unhexlify(hex_in)
        self.keypad.step(time.ticks_ms())
        data, self.wire.outbound = self.wire.outbound, b""
        return binascii.hexlify(data).decode()

    def control(self, line):
        """Apply one JSON command ({"key": n, "level": 0/1} or {"lamps": true}); answer with JSON."""
        command = json.loads(line)
        if "key" in command:
            Pin.made[board.KEY_GPIOS[command["key"] - 1]].drive(command["level"])
        keys = [n + 1 for n, gpio in enumerate(board.LAMP_GPIOS) if Pin.made[gpio].value()]
        return json.dumps({"rate": Pin.made[board.RATE_LAMP_GPIO].value(), "keys": keys,
                           "prompt": self.keypad.service})
