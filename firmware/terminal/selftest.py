"""The installer's self-test (``hallpost terminal selftest``): lamps, buzzer, buttons, keypad, journal disk, hub."""

from __future__ import annotations

import json
import os
import queue
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from firmware.terminal.errors import HubUnreachable
from firmware.terminal.hubhttp import HubHttp
from firmware.terminal.pinmap import LAMP_COLOURS

CLOCK_PATH = "/api/v1/clock"
PRESS_TIMEOUT_S = 20.0
MIN_FREE_BYTES = 256 * 1024 * 1024
YES = frozenset({"y", "yes", "是", "对"})
BUTTON_LABELS = {
    "presence_a": "presence A (到岗 A)",
    "presence_b": "presence B (到岗 B)",
    "handover": "handover (交接)",
    "done": "done (办结)",
}


@dataclass(frozen=True)
class Check:
    """One row of the self-test: what was checked, whether it passed, and what was seen."""

    name: str
    ok: bool
    detail: str


def selftest(panel, *, ask: Callable[[str], str], say: Callable[[str], None],
             find_keypad: Callable[[], str | None], journal_dir: str | Path, hub_url: str | None,
             wall: Callable[[], datetime] | None = None, press_timeout_s: float = PRESS_TIMEOUT_S,
             min_free_bytes: int = MIN_FREE_BYTES, http_timeout_s: float = 5.0, trust=None) -> list[Check]:
    """Walk the installer through every part of the window terminal; one Check per part."""
    wall = wall or (lambda: datetime.now(timezone.utc))
    for device in [*panel.lamps.values(), panel.buzzer]:
        device.off()
    checks = [_lamp(panel, name, ask) for name in panel.lamps]
    checks.append(_buzzer(panel, ask))
    checks += _buttons(panel, say, press_timeout_s)
    checks.append(_keypad(find_keypad))
    checks += _journal_disk(Path(journal_dir), min_free_bytes)
    checks.append(_hub(hub_url, wall, HubHttp(trust, timeout_s=http_timeout_s)))
    return checks


def report(checks: list[Check]) -> str:
    """The pass/fail table the installer reads."""
    width = max(len(check.name) for check in checks)
    lines = [f"{'check':<{width}}  result  detail", f"{'-' * width}  ------  ------"]
    lines += [f"{c.name:<{width}}  {'PASS' if c.ok else 'FAIL':<6}  {c.detail}" for c in checks]
    failed = sum(not check.ok for check in checks)
    lines.append(f"{len(checks) - failed} passed, {failed} failed")
    return "\n".join(lines)


def exit_code(checks: list[Check]) -> int:
    """0 when every check passed, 1 otherwise."""
    return 0 if all(check.ok for check in checks) else 1


def _yes(answer: str) -> bool:
    return answer.strip().lower() in YES


def _lamp(panel, name: str, ask) -> Check:
    colour = LAMP_COLOURS[name]
    panel.lamps[name].on()
    try:
        seen = _yes(ask(f"Is the {colour} lamp ({name}) lit, and no other lamp? [y/n] "))
    finally:
        panel.lamps[name].off()
    return Check(f"lamp {name} ({colour})", seen, "installer saw it" if seen else "installer did not see it lit")


def _buzzer(panel, ask) -> Check:
    panel.buzzer.on()
    try:
        heard = _yes(ask("Do you hear the buzzer? [y/n] "))
    finally:
        panel.buzzer.off()
    return Check("buzzer", heard, "installer heard it" if heard else "installer heard nothing")


def _buttons(panel, say, timeout_s: float) -> list[Check]:
    """Prompt for each button in turn; a press of another button, or none in time, fails its row."""
    presses: queue.SimpleQueue[str] = queue.SimpleQueue()
    saved = {name: button.when_pressed for name, button in panel.buttons.items()}
    for name, button in panel.buttons.items():
        button.when_pressed = lambda _device=None, name=name: presses.put(name)
    try:
        return [_button(panel, name, say, presses, timeout_s) for name in panel.buttons]
    finally:
        for name, button in panel.buttons.items():
            button.when_pressed = saved[name]


def _button(panel, name: str, say, presses: queue.SimpleQueue, timeout_s: float) -> Check:
    label = f"button {name}"
    if panel.buttons[name].is_pressed:
        return Check(label, False, "held down before the prompt (stuck, or shorted to GND)")
    while not presses.empty():
        presses.get_nowait()
    say(f"Press {BUTTON_LABELS.get(name, name)} now ({timeout_s:g} s).")
    try:
        pressed = presses.get(timeout=timeout_s)
    except queue.Empty:
        return Check(label, False, f"no press within {timeout_s:g} s")
    if pressed != name:
        return Check(label, False, f"got {pressed} instead (wires swapped?)")
    return Check(label, True, "pressed")


def _keypad(find_keypad) -> Check:
    try:
        device = find_keypad()
    except OSError as exc:
        return Check("keypad", False, f"cannot look for it: {exc}")
    if device is None:
        return Check("keypad", False, "not found: plug in the keypad with a USB data cable")
    return Check("keypad", True, f"found at {device}")


def _journal_disk(journal_dir: Path, min_free_bytes: int) -> list[Check]:
    """Free space under the journal and a synced write into its directory."""
    try:
        free = shutil.disk_usage(journal_dir).free
    except OSError as exc:
        return [Check("journal disk", False, f"{journal_dir}: {exc.strerror or exc}")]
    space = Check("journal space", free >= min_free_bytes,
                  f"{free // 2**20} MiB free in {journal_dir} (need {min_free_bytes // 2**20} MiB)")
    probe = journal_dir / f".selftest-{os.getpid()}"
    try:
        with open(probe, "xb") as f:
            f.write(b"\0" * 4096)
            f.flush()
            os.fsync(f.fileno())
        directory = os.open(journal_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError as exc:
        return [space, Check("journal fsync", False, f"{journal_dir}: {exc.strerror or exc}")]
    finally:
        probe.unlink(missing_ok=True)
    return [space, Check("journal fsync", True, f"wrote and synced 4 KiB in {journal_dir}")]


def _hub(hub_url: str | None, wall, http: HubHttp) -> Check:
    """GET the hub's clock: reachable, well-formed, and how far our clock is off."""
    if not hub_url:
        return Check("hub", False, "no hub URL configured")
    url = hub_url.rstrip("/") + CLOCK_PATH
    try:
        reply = http.request("GET", url, max_bytes=65536)
    except HubUnreachable as exc:
        return Check("hub", False, f"{url}: unreachable: {exc}")
    if reply.status != 200:
        return Check("hub", False, f"{url}: HTTP {reply.status}")
    try:
        hub_time = datetime.fromisoformat(json.loads(reply.body)["hub_time"])
    except (ValueError, KeyError, TypeError) as exc:
        return Check("hub", False, f"{url}: not a clock reply ({exc})")
    if hub_time.tzinfo is None:
        return Check("hub", False, f"{url}: hub_time has no UTC offset")
    skew = (wall() - hub_time).total_seconds()
    return Check("hub", True, f"{url}: answered; our clock is {skew:+.1f} s off the hub's")


def run_selftest(pinmap_path: str | Path, *, journal_dir: str | Path, hub_url: str | None, pin_factory=None,
                 ask: Callable[[str], str] = input, say: Callable[[str], None] = print,
                 find_keypad: Callable[[], str | None] | None = None,
                 press_timeout_s: float = PRESS_TIMEOUT_S, trust=None) -> int:
    """Open the panel from the pin map, run the self-test, print the table; the exit code."""
    from firmware.terminal.panel import Panel
    from firmware.terminal.pinmap import load_pinmap

    with Panel(load_pinmap(pinmap_path), pin_factory=pin_factory) as panel:
        checks = selftest(panel, ask=ask, say=say, find_keypad=find_keypad or find_pico_keypad,
                          journal_dir=journal_dir, hub_url=hub_url, press_timeout_s=press_timeout_s, trust=trust)
    say(report(checks))
    return exit_code(checks)


def find_pico_keypad(watcher=None) -> str | None:
    """The tty of the first evaluation keypad udev knows of (by *watcher*'s ids and interface), or None."""
    from firmware.terminal.keypad_udev import KeypadWatcher

    watcher = watcher or KeypadWatcher()
    for device in watcher.context.list_devices(subsystem="tty"):
        if watcher.matches(device):
            return device.device_node
    return None
