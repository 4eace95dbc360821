"""The seams of the window terminal: what :class:`~firmware.terminal.terminal.Terminal` asks of its parts.

Each seam has its real implementation and its stand-ins side by side, as gpiozero ships its mock pin
factory beside the real ones:

- clock (:class:`protocol.clock.Clock`): ``SystemClock``; ``ScaledClock`` (the hall simulator, chosen by
  ``HALLPOST_CLOCK``) and ``ManualClock`` (tests), all in :mod:`firmware.terminal.clock`;
- config source (:class:`ConfigSource`): ``ConfigCache`` (served by the hub, kept on disk) and
  ``StaticConfig`` (a fixed configuration), in :mod:`firmware.terminal.hallconfig`;
- hub (:class:`HubSync`): ``SyncClient`` in :mod:`firmware.terminal.sync`, which speaks to the hub through
  a :class:`HubLink` (``HubLink`` in :mod:`firmware.terminal.hublink`, signed HTTP);
- keypad (:class:`Keypad`): ``KeypadLink`` in :mod:`firmware.terminal.keypad` (a real tty: the Pico, or in
  the simulator a pty with the MicroPython firmware or its stand-in behind it); None: no keypad.
"""
from datetime import datetime, timedelta
from typing import Callable, Protocol, runtime_checkable

from protocol.clock import Clock
from protocol.config import HallConfig

__all__ = ["Clock", "ConfigSource", "HubLink", "HubSync", "Keypad", "Report"]

Report = Callable[[str, dict], object]      # report(kind, data): record a keypad fact in the journal


@runtime_checkable
class ConfigSource(Protocol):
    """The hall configuration the terminal judges by."""

    etag: str | None

    def current(self) -> HallConfig | None:
        """The configuration now, or None before the first one arrives."""


@runtime_checkable
class HubLink(Protocol):
    """Signed exchanges with the hub's terminal API, and the hub's time they taught."""

    offset: timedelta

    def push(self, body: bytes):
        """POST a batch of facts; the answered exchange (``data["acked"]``: the hub's highest contiguous seq)."""

    def pull_config(self, etag: str | None):
        """GET the hall config unless it still has *etag*; the answered exchange (status 200 or 304)."""

    def hub_now(self) -> datetime:
        """The best idea of the hub's time now."""


@runtime_checkable
class HubSync(Protocol):
    """Moves the journal's facts to the hub; the fault lamp reads whether the hub is away or refusing."""

    unreachable_since: datetime | None
    rejected: str | None

    def attach(self, owner) -> None:
        """Work for *owner* (the Terminal: ``batch``, ``acked``, ``record_clock``, ``poke``, ``journal``)."""

    def start(self) -> None:
        """Start syncing in the background."""

    def notify(self) -> None:
        """A new fact is in the journal."""

    def close(self) -> None:
        """Stop syncing; safe to call twice."""


@runtime_checkable
class Keypad(Protocol):
    """The evaluation keypad: ratings and stray keys in (through *report*), "please rate" prompts out."""

    @property
    def present(self) -> bool:
        """True while a keypad is attached and has said hello."""

    def start(self, report: Report) -> object:
        """Start listening; *report(kind, data)* records ``rating``, ``rating_missed``, ``stray_key``, ``keypad``."""

    def prompt(self, service: int) -> None:
        """Ask the citizen to rate *service* (the seq of its ``done`` fact)."""

    def close(self) -> None:
        """Stop listening; safe to call twice."""
