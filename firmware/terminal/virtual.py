"""The virtual panel (虚拟面板): a control channel that presses a terminal's mock buttons and reads its lamps.

Only for gpiozero's ``MockFactory`` (the hall simulator and the demo set ``HALLPOST_VIRTUAL_PANEL=SOCKET`` for
``hallpost terminal run``). A client connects to the Unix socket and sends one JSON object per line; each gets
one JSON line back:

- ``{"press": "presence_a"}`` drives the button's pin low then high (a clean press), waits until the
  terminal has handled it, and answers the lamps;
- ``{"lamps": true}`` answers the lamps: ``{"lamps": {"a": bool, ...}, "buzzer": bool, "seq": N,
  "judging": bool, "keypad": bool}``: the journal's last seq, whether the terminal has a window state
  (a configuration naming its window) and whether its keypad has said hello;
- anything else answers ``{"error": "..."}`` naming the problem.
"""
import json
import logging
import os
import socketserver
import threading

log = logging.getLogger(__name__)
SETTLE_S = 10.0
PANEL_VARIABLE = "HALLPOST_VIRTUAL_PANEL"


def virtual_panel_from_environment(panel, terminal, environ=os.environ):
    """The control channel on the socket ``HALLPOST_VIRTUAL_PANEL`` names (not started), or None if unset."""
    path = environ.get(PANEL_VARIABLE)
    return VirtualPanel(path, panel=panel, terminal=terminal) if path else None


class VirtualPanel:
    """Serves the control channel of one terminal's mock panel on a Unix socket."""

    def __init__(self, path, *, panel, terminal=None):
        self.path, self.panel, self.terminal = path, panel, terminal
        self._server, self._thread = None, None

    def start(self):
        """Listen on the socket (a stale one is replaced) in a background thread; idempotent."""
        if self._server is not None:
            return self
        if os.path.exists(self.path):
            os.unlink(self.path)
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                for line in self.rfile:
                    answer = owner.answer(line)
                    self.wfile.write((json.dumps(answer) + "\n").encode())
                    self.wfile.flush()

        self._server = socketserver.ThreadingUnixStreamServer(self.path, Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="virtual-panel", daemon=True)
        self._thread.start()
        return self

    def answer(self, line):
        """The reply to one command line."""
        try:
            command = json.loads(line)
        except ValueError as exc:
            return {"error": f"command: not JSON ({exc})"}
        if not isinstance(command, dict):
            return {"error": "command: must be a JSON object"}
        if "press" in command:
            button = self.panel.buttons.get(command["press"])
            if button is None:
                return {"error": f"press: unknown button {command['press']!r} (known: {sorted(self.panel.buttons)})"}
            button.pin.drive_low()
            button.pin.drive_high()
            if self.terminal is not None:
                self.terminal.settle(SETTLE_S)
        elif not command.get("lamps"):
            return {"error": f"command: expected 'press' or 'lamps', got {sorted(command)}"}
        return self.lamps()

    def lamps(self):
        """The lamps and buzzer as they are now, and (with a terminal) its journal, judgement and keypad."""
        answer = {"lamps": {name: bool(lamp.is_lit) for name, lamp in self.panel.lamps.items()},
                  "buzzer": bool(self.panel.buzzer.is_active)}
        if self.terminal is not None:
            keypad = self.terminal.keypad
            answer.update(seq=self.terminal.journal.next_seq - 1, judging=self.terminal.state is not None,
                          keypad=bool(keypad is not None and keypad.present))
        return answer

    def close(self):
        """Stop serving and remove the socket; safe to call twice."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        self._thread.join(5.0)
        if os.path.exists(self.path):
            os.unlink(self.path)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.close()
