"""Readiness and watchdog pings to systemd (sd_notify) for ``hallpost-terminal.service`` (Type=notify).

The terminal calls :meth:`SystemdNotifier.ready` once its panel and journal are open, then
:meth:`SystemdNotifier.ping` from its main loop every :attr:`SystemdNotifier.ping_interval_s`. Outside
systemd (no ``NOTIFY_SOCKET``) every call does nothing.
"""

from __future__ import annotations

import os
import socket


class SystemdNotifier:
    """Sends sd_notify datagrams to ``$NOTIFY_SOCKET``; a context manager with an idempotent close()."""

    def __init__(self, *, environ=None):
        environ = os.environ if environ is None else environ
        address = environ.get("NOTIFY_SOCKET", "")
        self.address = "\0" + address[1:] if address.startswith("@") else address
        usec = environ.get("WATCHDOG_USEC", "")
        watchdog_pid = environ.get("WATCHDOG_PID", "")
        ours = not watchdog_pid or watchdog_pid == str(os.getpid())
        self.ping_interval_s = int(usec) / 2e6 if usec.isdigit() and int(usec) > 0 and ours else None
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) if self.address else None

    @property
    def enabled(self) -> bool:
        """True when running under systemd with a notify socket."""
        return self._socket is not None

    def ready(self, status: str | None = None) -> None:
        """Tell systemd start-up is complete (READY=1)."""
        self._send("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def ping(self) -> None:
        """Tell systemd's watchdog the main loop is alive (WATCHDOG=1)."""
        self._send("WATCHDOG=1")

    def stopping(self) -> None:
        """Tell systemd the terminal is shutting down (STOPPING=1)."""
        self._send("STOPPING=1")

    def close(self) -> None:
        """Close the socket; safe to call twice."""
        sock, self._socket = self._socket, None
        if sock is not None:
            sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _send(self, message: str) -> None:
        if self._socket is not None:
            self._socket.sendto(message.encode("utf-8"), self.address)
