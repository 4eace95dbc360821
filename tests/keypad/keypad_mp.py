"""Runs code in real MicroPython (the WebAssembly port under Node) with the keypad firmware importable."""
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = ROOT / "firmware" / "keypad" / "host"
RUNNER = HOST / "run.mjs"
PACKAGE = HOST / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"


def micropython_missing():
    """Why the MicroPython host runner cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (scripts/test installs Node packages when npm is present)"
    if not PACKAGE.is_dir():
        return "firmware/keypad/host/node_modules is missing: run scripts/test (it runs npm ci there)"
    return None


def run_micropython(code, timeout=30, *, runtime_usb=False, console=None):
    """Run *code* in MicroPython with the firmware importable; the dict it passed to ``report()``.

    *runtime_usb* adds the stand-in for micropython-lib's ``usb.device`` (``host/runtime_usb/``);
    *console*, a list, receives the console (stdout) lines other than the RESULT line.
    """
    flags = ["--runtime-usb"] if runtime_usb else []
    done = subprocess.run(["node", str(RUNNER), *flags, "-"], input=code, capture_output=True, text=True,
                          timeout=timeout, cwd=HOST, check=False)
    assert done.returncode == 0, f"MicroPython failed:\n{done.stderr}"
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(lines) == 1, f"expected one RESULT line, got:\n{done.stdout}"
    if console is not None:
        console.extend(line for line in done.stdout.splitlines() if not line.startswith("RESULT "))
    return json.loads(lines[0][len("RESULT "):])


class NodeKeypad:
    """The keypad firmware in real time under Node, its USB serial on the pty master *master_fd*."""

    def __init__(self, master_fd):
        env = {key: value for key, value in os.environ.items() if key != "LD_PRELOAD"}
        self.process = subprocess.Popen(["node", str(RUNNER), "--serve", str(master_fd)], cwd=HOST, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        pass_fds=(master_fd,))

    def control(self, command):
        """Send one control command; the lamps and open prompt it answers with."""
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def lamps(self):
        """{"rate": 0/1, "keys": [lit keys], "prompt": open service or None}."""
        return self.control({})

    def press(self, key, hold_s=0.1):
        """Press *key* for *hold_s* seconds (well past the debounce), then release it."""
        self.control({"key": key, "level": 0})
        time.sleep(hold_s)
        self.control({"key": key, "level": 1})
        time.sleep(hold_s)

    def wait_lamps(self, expected, timeout=5.0):
        """Wait until the lamps (and prompt) equal *expected*; the last reading."""
        deadline = time.monotonic() + timeout
        while True:
            lamps = self.lamps()
            if lamps == expected or time.monotonic() > deadline:
                return lamps
            time.sleep(0.02)

    def unplug(self):
        """Pull the keypad out: the firmware stops and the pty master closes. Safe to call twice."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        self.process.stdin.close()
        self.process.stdout.close()
