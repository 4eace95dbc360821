"""The terminal's pin map: which BCM GPIO drives each button, lamp and the buzzer (hardware/pinmap.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from firmware.terminal.errors import PinMapError

BUTTONS = ("presence_a", "presence_b", "handover", "done")
LAMPS = ("a", "b", "empty", "online")
LAMP_COLOURS = {"a": "green", "b": "amber", "empty": "red", "online": "blue"}   # of each lamp's LED
OPTIONAL_LAMPS = frozenset({"online"})
SECTIONS = ("buttons", "lamps", "buzzer", "debounce")
BCM_RANGE = range(2, 28)  # GPIO2..GPIO27 on the 40-pin header
DEFAULT_BOUNCE_MS = 40


@dataclass(frozen=True)
class PinMap:
    """BCM numbers of the window's buttons, lamps and buzzer, and the buttons' debounce time."""

    buttons: dict[str, int]
    lamps: dict[str, int]
    buzzer: int
    bounce_ms: int = DEFAULT_BOUNCE_MS

    def pins(self) -> dict[str, int]:
        """Every used pin by its key (``buttons.done``, ``lamps.a``, ``buzzer.pin``), in file order."""
        keys = {f"buttons.{name}": pin for name, pin in self.buttons.items()}
        keys.update({f"lamps.{name}": pin for name, pin in self.lamps.items()})
        keys["buzzer.pin"] = self.buzzer
        return keys


def load_pinmap(path: str | Path) -> PinMap:
    """Read and check a pin map file; a PinMapError names the file and the key at fault."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PinMapError(f"{path}: cannot read pin map: {exc.strerror or exc}") from exc
    try:
        return parse_pinmap(text)
    except PinMapError as exc:
        raise PinMapError(f"{path}: {exc}") from exc


def parse_pinmap(text: str) -> PinMap:
    """Parse pin map TOML text into a checked PinMap."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PinMapError(f"not valid TOML: {exc}") from exc
    return pinmap_from_dict(data)


def pinmap_from_dict(data: dict) -> PinMap:
    """Check a decoded pin map: known keys only, every button present, BCM 2..27, no pin used twice."""
    _only_known(data, SECTIONS, "")
    buttons = _section(data, "buttons")
    lamps = _section(data, "lamps")
    buzzer = _section(data, "buzzer")
    debounce = _section(data, "debounce", required=False)
    _only_known(buttons, BUTTONS, "buttons.")
    _only_known(lamps, LAMPS, "lamps.")
    _only_known(buzzer, ("pin",), "buzzer.")
    _only_known(debounce, ("bounce_ms",), "debounce.")
    pinmap = PinMap(
        buttons={name: _bcm(buttons, name, "buttons.") for name in BUTTONS},
        lamps={name: _bcm(lamps, name, "lamps.") for name in LAMPS
               if name in lamps or name not in OPTIONAL_LAMPS},
        buzzer=_bcm(buzzer, "pin", "buzzer."),
        bounce_ms=_bounce_ms(debounce),
    )
    _no_pin_twice(pinmap)
    return pinmap


def _section(data: dict, name: str, *, required: bool = True) -> dict:
    if name not in data:
        if required:
            raise PinMapError(f"{name}: missing section [{name}]")
        return {}
    if not isinstance(data[name], dict):
        raise PinMapError(f"{name}: must be a table [{name}], got {data[name]!r}")
    return data[name]


def _only_known(table: dict, known: tuple[str, ...], prefix: str) -> None:
    for key in table:
        if key not in known:
            raise PinMapError(f"{prefix}{key}: unknown key (expected one of {', '.join(known)})")


def _bcm(table: dict, name: str, prefix: str) -> int:
    if name not in table:
        raise PinMapError(f"{prefix}{name}: missing (a BCM GPIO number 2..27)")
    pin = table[name]
    if isinstance(pin, bool) or not isinstance(pin, int):
        raise PinMapError(f"{prefix}{name}: must be a BCM GPIO number, got {pin!r}")
    if pin not in BCM_RANGE:
        raise PinMapError(f"{prefix}{name}: BCM {pin} is outside 2..27")
    return pin


def _bounce_ms(debounce: dict) -> int:
    value = debounce.get("bounce_ms", DEFAULT_BOUNCE_MS)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        raise PinMapError(f"debounce.bounce_ms: must be an integer 0..1000 ms, got {value!r}")
    return value


def _no_pin_twice(pinmap: PinMap) -> None:
    seen: dict[int, str] = {}
    for key, pin in pinmap.pins().items():
        if pin in seen:
            raise PinMapError(f"{key}: BCM {pin} is already used by {seen[pin]}")
        seen[pin] = key
