"""A window's evaluation keypad (评价器) in the simulator: the real MicroPython firmware under Node on a pty.

The terminal opens the pty's far end as if it were the Pico's USB tty (``--keypad-tty``). Without Node
(or without the npm package) the clearly labelled Python stand-in :mod:`firmware.sim.standin_keypad`
speaks the same frames instead. Both take control lines on stdin (``{"key": n, "level": 0|1}`` or
``{}``) and answer each with the lamps: ``{"rate": 0|1, "keys": [...], "prompt": service|None}``.
"""
import json
import logging
import os
import shutil
import subprocess
import sys
import time
import tty
from pathlib import Path

log = logging.getLogger(__name__)
HOST = Path(__file__).resolve().parents[1] / "keypad" / "host"
RUNNER = HOST / "run.mjs"
PACKAGE = HOST / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
HOLD_S = 0.08


def firmware_runner():
    """The command that runs the keypad on a pty master fd, and whether it is the real firmware.

    ``HALLPOST_SIM_KEYPAD=standin`` forces the stand-in (a machine whose Node is broken).
    """
    node = shutil.which("node")
    if node and PACKAGE.is_dir() and os.environ.get("HALLPOST_SIM_KEYPAD") != "standin":
        return [node, str(RUNNER), "--serve"], True
    return [sys.executable, "-m", "firmware.sim.standin_keypad"], False


class Keypad:
    """One keypad process and the pty it is plugged into; ``tty`` is the path the terminal opens.

    *command* overrides the runner (it gets the pty master fd as its last argument).
    """

    def __init__(self, *, log_path=None, command=None):
        self.command, self.real_firmware = (command, False) if command else firmware_runner()
        self.master, slave = os.openpty()
        tty.setraw(slave)                      # a USB CDC link is raw: no echo, no line editing
        self.tty = os.ttyname(slave)
        os.close(slave)
        self._log = open(log_path, "ab") if log_path else subprocess.DEVNULL
        env = {key: value for key, value in os.environ.items() if key != "LD_PRELOAD"}
        self.process = subprocess.Popen([*self.command, str(self.master)], cwd=HOST if self.real_firmware else None,
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self._log, text=True, pass_fds=(self.master,))

    @property
    def label(self):
        """What is answering on the pty."""
        return "MicroPython firmware (Node)" if self.real_firmware else "Python stand-in (no Node here)"

    def control(self, command):
        """Send one control line; the lamps it answers with."""
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"keypad on {self.tty} has stopped (exit code {self.process.poll()})")
        return json.loads(line)

    def lamps(self):
        """The keypad's lamps and its open prompt."""
        return self.control({})

    def press(self, key, hold_s=HOLD_S):
        """A citizen presses *key* (1-5) for *hold_s* real seconds (past the firmware's debounce)."""
        self.control({"key": key, "level": 0})
        time.sleep(hold_s)
        self.control({"key": key, "level": 1})
        time.sleep(hold_s)

    def rate(self, key, timeout_s=5.0):
        """A citizen presses *key* and holds it until the "please rate" lamp goes out (the keypad took it).

        A busy host can stall the firmware's loop longer than a fixed hold; a person keeps pressing until
        the keypad reacts. Returns True if the prompt closed within *timeout_s*.
        """
        self.control({"key": key, "level": 0})
        deadline = time.monotonic() + timeout_s
        while self.lamps().get("prompt") is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        taken = self.lamps().get("prompt") is None
        self.control({"key": key, "level": 1})
        time.sleep(HOLD_S)
        return taken

    def wait_prompt(self, timeout_s=5.0):
        """Wait for the "please rate" lamp; the open service, or None if it did not light in time."""
        deadline = time.monotonic() + timeout_s
        while True:
            lamps = self.lamps()
            if lamps.get("prompt") is not None or time.monotonic() > deadline:
                return lamps.get("prompt")
            time.sleep(0.01)

    def close(self):
        """Stop the keypad and close the pty; safe to call twice."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            if not stream.closed:
                try:
                    stream.close()
                except BrokenPipeError:
                    pass
        if self.master is not None:
            os.close(self.master)
            self.master = None
        if self._log is not subprocess.DEVNULL:
            self._log.close()
