"""One simulated window: its terminal process, the cable to the hub, the keypad on a pty, the panel channel."""
import json
import logging
import socket
import time
from pathlib import Path

from firmware.terminal.clock import BOOT_ID_VARIABLE
from firmware.terminal.enrol import enrol
from firmware.terminal.virtual import PANEL_VARIABLE

from .keypads import Keypad
from .processes import ROOT, Child, ChildFailed, run_hallpost
from .proxy import Cable

log = logging.getLogger(__name__)
READY_TIMEOUT_S = 60.0
PINMAP = ROOT / "hardware" / "pinmap.toml"


class SimWindow:
    """A window terminal (``hallpost terminal run`` on gpiozero's MockFactory) wired into the simulated hall."""

    def __init__(self, workdir, window, *, hub, timeline, hall_toml):
        self.window, self.terminal = window.id, window.terminal
        self.dir = Path(workdir) / "terminals" / window.terminal
        self.dir.mkdir(parents=True, exist_ok=True)
        self.panel_socket = self.dir / "panel.sock"
        self.key_path = self.dir / "terminal.key"
        self.cable = Cable(hub.port).start()
        self.keypad = Keypad(log_path=hub.workdir / "logs" / f"keypad-{window.terminal}.log")
        self.config_path = self.dir / "terminal.toml"
        self.config_path.write_text(terminal_toml(
            id=window.terminal, hub=self.cable.url, key_file=str(self.key_path), journal=str(self.dir / "journal"),
            pinmap=str(PINMAP), hall_config=str(hall_toml), pin_factory="mock", hub_timeout_s=5.0), encoding="utf-8")
        self.child = Child(window.terminal, [
            "terminal", "run", "--config", str(self.config_path), "--keypad-tty", self.keypad.tty],
            log_path=hub.workdir / "logs" / f"terminal-{window.terminal}.log", env={
                **timeline.environment(), PANEL_VARIABLE: str(self.panel_socket),
                BOOT_ID_VARIABLE: f"sim-{window.terminal}-{int(timeline.epoch)}"})
        self.kills = 0

    def enrol(self, hub):
        """Enrol the terminal with a one-time code from the hub (over the real terminal API)."""
        with hub.store() as store:
            code = store.terminals.new_enrolment_code(self.window, "hallsim")
        enrol(hub.url, code, self.key_path, terminal_id=self.terminal)

    def start(self):
        """Start the terminal process (no wait)."""
        self.child.start()
        return self

    def wait_ready(self, timeout=READY_TIMEOUT_S):
        """Wait until the terminal judges its window (it has the hall config) and its keypad said hello."""
        deadline = time.monotonic() + timeout
        answer = None
        while time.monotonic() < deadline:
            self.child.check()
            try:
                answer = self.command({"lamps": True})
                if answer.get("judging") and answer.get("keypad"):
                    return answer
            except OSError:
                pass
            time.sleep(0.05)
        raise ChildFailed(f"{self.terminal} not ready within {timeout} s (last answer {answer}):\n{self.child.tail()}")

    def command(self, command, timeout=15.0):
        """One command on the terminal's virtual panel channel; its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as channel:
            channel.settimeout(timeout)
            channel.connect(str(self.panel_socket))
            channel.sendall((json.dumps(command) + "\n").encode())
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = channel.recv(4096)
                if not chunk:
                    raise ConnectionError(f"{self.terminal}: panel channel closed without an answer")
                reply += chunk
        answer = json.loads(reply)
        if "error" in answer:
            raise ValueError(f"{self.terminal}: {answer['error']}")
        return answer

    def press(self, button):
        """A clerk presses *button*; the lamps after the terminal handled it."""
        return self.command({"press": button})

    def rate(self, score, timeout_s=5.0):
        """A citizen waits for the "please rate" lamp, then presses *score*; the service it answered, or None."""
        service = self.keypad.wait_prompt(timeout_s)
        if service is None:
            log.warning("%s: no rating prompt within %s s; the citizen presses %d anyway", self.terminal,
                        timeout_s, score)
        if not self.keypad.rate(score):
            log.warning("%s: the keypad did not take key %d within its timeout", self.terminal, score)
        return service

    def stray(self, key):
        """Someone presses keypad *key* with no prompt open (held long enough for a busy host)."""
        self.keypad.press(key, hold_s=0.3)

    def kill(self):
        """SIGKILL the terminal (a power cut)."""
        self.child.kill()
        self.kills += 1

    def restart(self):
        """Start the terminal again and wait until it is back."""
        self.start()
        return self.wait_ready()

    def export(self, path):
        """``hallpost terminal export`` of this terminal's journal into *path*."""
        run_hallpost(["terminal", "export", "--config", str(self.config_path), "--out", str(path)],
                     log_path=self.child.log_path)
        return path

    def close(self):
        """Stop the terminal, the keypad and the cable; safe to call twice."""
        self.child.stop()
        self.keypad.close()
        self.cable.close()


def terminal_toml(**settings):
    """The terminal's ``terminal.toml`` for the simulator."""
    return "[terminal]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
