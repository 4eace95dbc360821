"""The terminal's side of the evaluation keypad (评价器): serial link, handshake and the rating flow.

Interface for the terminal runtime::

    link = KeypadLink(watcher=KeypadWatcher(vendor_id="2e8a", product_id="0005", interface="02"),  # keypad_udev
                      timeout_s=config.rules.rating_window_s)
    link.start(report)          # report(kind, data) records a fact; called from the link's thread
    link.prompt(service_seq)    # after recording a ``done`` fact (its seq is the service id)
    link.present                # True while a keypad is attached and has said HELLO
    link.close()                # idempotent; stops the watcher and the thread (bounded join)

Facts it reports: ``keypad {attached, firmware}`` when a keypad completes the handshake (IDENT → HELLO)
or is lost; ``rating {service, score}`` for the first key of an open prompt; ``rating_missed {service}``
when a prompt times out (``timeout_s`` + ``grace_s``), is superseded by a newer prompt, or no keypad is
there to answer it; ``stray_key {key}`` for keys with no prompt open (at most ``stray_burst`` at once,
refilled one per ``stray_refill_s``; the rest are counted in ``counts``). One fact per service, whatever
the keypad sends; garbage is counted by the frame decoder and skipped.

``attach(devnode)``/``detach(devnode)`` are the hot-plug seam (the watcher calls them; without a watcher,
call them yourself). Everything else happens on one worker thread that owns the serial port; a read or
write error is an unplug: the keypad fact is recorded and the port reopened every ``retry_s`` until the
device node is detached.
"""
import logging
import math
import queue
import threading
import time
from collections import deque

import serial as pyserial

from protocol import serial as frames
from protocol.status import KEYPAD_COUNTS

log = logging.getLogger(__name__)

TIMEOUT_S = 60
GRACE_S = 1.0
READ_S = 0.05
READ_MAX = 4096
IDENT_EVERY_S = 0.5
IDENT_TRIES = 4
RETRY_S = 2.0
STRAY_BURST = 10
STRAY_REFILL_S = 6.0
ANSWERED_KEPT = 1024


class KeypadLink:
    """The keypad as the terminal sees it: hot-plugged device nodes in, facts out, prompts down."""

    def __init__(self, *, watcher=None, timeout_s=TIMEOUT_S, grace_s=GRACE_S, retry_s=RETRY_S,
                 stray_burst=STRAY_BURST, stray_refill_s=STRAY_REFILL_S, clock=time.monotonic):
        self.watcher = watcher
        self.timeout_s = timeout_s
        self.grace_s = grace_s
        self.retry_s = retry_s
        self.stray_burst = stray_burst
        self.stray_refill_s = stray_refill_s
        self.clock = clock
        self.counts = dict.fromkeys(KEYPAD_COUNTS, 0)      # the status's keypad_counts
        self.firmware = None
        self._commands = queue.Queue()
        self._stop = threading.Event()
        self._thread = None
        self._report = None
        self._closed = False
        self._devnodes = []
        self._port = None
        self._decoder = None
        self._reopen_at = 0.0
        self._idents = 0
        self._ident_at = 0.0
        self._prompt = None
        self._answered = deque(maxlen=ANSWERED_KEPT)
        self._strays = float(stray_burst)
        self._strays_at = clock()

    @property
    def present(self):
        """True while a keypad is attached and has said HELLO."""
        return self.firmware is not None

    def start(self, report):
        """Start the worker thread (and the watcher); *report(kind, data)* records each fact."""
        self._report = report
        self._thread = threading.Thread(target=self._run, name="keypad", daemon=True)
        self._thread.start()
        if self.watcher is not None:
            self.watcher.start(self)
        return self

    def attach(self, devnode):
        """A keypad's tty appeared (start-up lookup or hot-plug add)."""
        self._commands.put(("attach", devnode))

    def detach(self, devnode):
        """A tty disappeared (hot-plug remove); unknown nodes are ignored."""
        self._commands.put(("detach", devnode))

    def prompt(self, service, timeout_s=None):
        """Ask the citizen to rate *service* (the seq of its ``done`` fact) within *timeout_s*."""
        self._commands.put(("prompt", service, self.timeout_s if timeout_s is None else timeout_s))

    def close(self, timeout=5.0):
        """Stop the watcher and the worker thread, close the port; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self.watcher is not None:
            self.watcher.close()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # --- the worker thread: it alone touches the port and the prompt -------------------------------
    def _run(self):
        try:
            while not self._stop.is_set():
                self._take_commands()
                if self._port is None:
                    self._try_open()
                if self._port is None:
                    self._stop.wait(READ_S)
                else:
                    self._read()
                    self._handshake()
                self._expire()
        finally:
            self._close_port()

    def _take_commands(self):
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            getattr(self, "_do_" + command[0])(*command[1:])

    def _do_attach(self, devnode):
        if devnode not in self._devnodes:
            self._devnodes.append(devnode)
            self._reopen_at = 0.0

    def _do_detach(self, devnode):
        if devnode not in self._devnodes:
            return
        if devnode == self._devnodes[0]:
            self._lose("removed")
            self._reopen_at = 0.0
        self._devnodes.remove(devnode)

    def _do_prompt(self, service, timeout_s):
        if service in self._answered or (self._prompt and self._prompt[0] == service):
            log.warning("service %s was already prompted: one rating per service", service)
            return
        if self._prompt is not None:
            self._miss("superseded by service %s" % service)
        self._prompt = (service, self.clock() + timeout_s + self.grace_s)
        if self.present:
            self._send(frames.PROMPT, service, timeout_s)

    def _try_open(self):
        if not self._devnodes or self.clock() < self._reopen_at:
            return
        devnode = self._devnodes[0]
        try:
            self._port = _open_serial(devnode)
        except (OSError, pyserial.SerialException) as error:
            log.warning("cannot open keypad %s: %s", devnode, error)
            self._reopen_at = self.clock() + self.retry_s
            return
        self._decoder = frames.Decoder()
        self._idents = 0
        self._ident_at = 0.0

    def _handshake(self):
        if self.present or self._port is None or self.clock() < self._ident_at:
            return
        if self._idents == IDENT_TRIES:
            log.warning("keypad %s never said HELLO; retrying in %ss", self._devnodes[0], self.retry_s)
            self._lose("no HELLO")
            return
        self._idents += 1
        self._ident_at = self.clock() + IDENT_EVERY_S
        self._send(frames.IDENT)

    def _read(self):
        try:
            data = self._port.read(READ_MAX)
        except (OSError, pyserial.SerialException) as error:
            self._lose("read failed: %s" % error)
            return
        handlers = {frames.HELLO: self._on_hello, frames.RATE: self._on_rate, frames.STRAY: self._on_stray,
                    frames.PONG: self._on_pong}
        for kind, args in self._decoder.feed(data):
            if kind in handlers:
                handlers[kind](*args)
            else:
                log.debug("ignoring a %s frame from the keypad (it is terminal-bound)", kind)

    def _on_hello(self, firmware):
        if self.present:
            log.info("keypad said HELLO again (reset?): prompt re-sent if open")
        else:
            self.firmware = firmware
            self._report("keypad", {"attached": True, "firmware": firmware})
        if self._prompt is not None:
            remaining = math.ceil(self._prompt[1] - self.grace_s - self.clock())
            if remaining >= 1:
                self._send(frames.PROMPT, self._prompt[0], min(remaining, 3600))

    def _on_rate(self, service, score):
        if not self.present or self._prompt is None or self._prompt[0] != service:
            self.counts["ignored_ratings"] += 1
            return
        self._prompt = None
        self._answered.append(service)
        self._report("rating", {"service": service, "score": score})

    def _on_stray(self, key):
        if not self.present:
            return
        now = self.clock()
        self._strays = min(float(self.stray_burst), self._strays + (now - self._strays_at) / self.stray_refill_s)
        self._strays_at = now
        if self._strays < 1:
            self.counts["dropped_strays"] += 1
            return
        self._strays -= 1
        self._report("stray_key", {"key": key})

    def _on_pong(self, counter):
        log.debug("keypad PONG %s", counter)

    def _expire(self):
        if self._prompt is not None and self.clock() >= self._prompt[1]:
            self._miss("timed out")

    def _miss(self, why):
        service = self._prompt[0]
        self._prompt = None
        self._answered.append(service)
        log.info("service %s not rated: %s", service, why)
        self._report("rating_missed", {"service": service})
        if self.present:
            self._send(frames.CANCEL, service)

    def _send(self, kind, *args):
        try:
            self._port.write(frames.encode(kind, *args))
        except (OSError, pyserial.SerialException) as error:
            self._lose("write failed: %s" % error)

    def _lose(self, why):
        """The port failed or the device went away: close it, record the unplug, retry later."""
        if self._port is not None:
            log.warning("keypad %s lost: %s", self._devnodes[0], why)
            self.counts["lost"] += 1
        self._close_port()
        self._reopen_at = self.clock() + self.retry_s
        if self.firmware is not None:
            firmware, self.firmware = self.firmware, None
            self._report("keypad", {"attached": False, "firmware": firmware})

    def _close_port(self):
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (OSError, pyserial.SerialException) as error:
                log.debug("closing the keypad port: %s", error)


def _open_serial(devnode):
    """Open the keypad's tty (USB CDC: the baud rate is ignored by the Pico)."""
    return pyserial.Serial(devnode, baudrate=115200, timeout=READ_S, write_timeout=1.0, exclusive=True)
