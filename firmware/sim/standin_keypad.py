"""PYTHON STAND-IN for the keypad firmware, used by the simulator only when Node is absent.

It is not the MicroPython firmware: it speaks the same frames (:mod:`protocol.serial`) on the pty master
fd given as its argument, with the same control lines on stdin as ``run.mjs --serve``, so the terminal
cannot tell; its firmware version says ``standin``. One rating per prompt, STRAY without a prompt,
prompts expire after their timeout.
"""
import json
import os
import select
import sys
import time

from protocol import serial

VERSION = "standin-py-1.0"
STEP_S = 0.005


class StandIn:
    """The rating flow on a pty master *fd*: frames in and out, keys from control lines."""

    def __init__(self, fd):
        self.fd = fd
        self.decoder = serial.Decoder()
        self.service, self.deadline, self.down = None, 0.0, set()

    def send(self, kind, *args):
        try:
            os.write(self.fd, serial.encode(kind, *args))
        except OSError:
            pass                # nobody has the tty open: the bytes go nowhere, as on a real USB link

    def frame(self, kind, args):
        if kind == serial.PROMPT:
            self.service, self.deadline = args[0], time.monotonic() + args[1]
        elif kind == serial.CANCEL and args[0] == self.service:
            self.service = None
        elif kind == serial.PING:
            self.send(serial.PONG, args[0])
        elif kind == serial.IDENT:
            self.send(serial.HELLO, VERSION)

    def control(self, line):
        command = json.loads(line)
        key = command.get("key")
        if key is not None and command.get("level") == 0 and key not in self.down:
            self.down.add(key)
            if self.service is None:
                self.send(serial.STRAY, key)
            else:
                self.send(serial.RATE, self.service, key)
                self.service = None
        elif key is not None:
            self.down.discard(key)
        lit = self.service is not None
        return json.dumps({"rate": int(lit), "keys": [1, 2, 3, 4, 5] if lit else [], "prompt": self.service})

    def run(self):
        self.send(serial.HELLO, VERSION)
        stdin = sys.stdin.fileno()
        pending = b""
        while True:
            readable, _, _ = select.select([self.fd, stdin], [], [], STEP_S)
            if self.fd in readable:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:         # EIO: the terminal has the tty closed for now
                    data = b""
                    time.sleep(0.02)
                for kind, args in self.decoder.feed(data):
                    self.frame(kind, args)
            if stdin in readable:
                chunk = os.read(stdin, 4096)
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    sys.stdout.write(self.control(line) + "\n")
                    sys.stdout.flush()
            if self.service is not None and time.monotonic() >= self.deadline:
                self.service = None


if __name__ == "__main__":
    StandIn(int(sys.argv[1])).run()
