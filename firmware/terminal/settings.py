"""The terminal's own settings (``terminal.toml``): who it is, where its hub, key, journal and pin map are.

See ``terminal.example.toml`` next to this module for every key with its default.
"""
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import SettingsError
from .hubhttp import HubTrust, normalise_pin

PIN_FACTORIES = ("default", "mock")


@dataclass(frozen=True)
class Settings:
    """A checked ``terminal.toml``; relative paths are relative to the file's directory."""

    terminal: str
    hub_url: str | None
    key_file: Path | None
    journal: Path
    pinmap: Path
    config_cache: Path
    status_file: Path
    hall_config: Path | None = None
    faults: Path | None = None
    journal_max_mb: int = 64
    pin_factory: str = "default"
    hub_timeout_s: float = 10.0
    batch_size: int = 500
    keypad: bool = True
    keypad_tty: str | None = None
    keypad_usb_id: str = "2e8a:0005"             # vendor:product of the keypad (MicroPython on a Pico)
    keypad_usb_interface: str = "02"             # its data port's USB interface ("00": older firmware, REPL)
    hub_ca_file: Path | None = None              # https hub: verify it against this CA (PEM)
    hub_pin_sha256: str | None = None            # https hub: its certificate's SHA-256 fingerprint

    @property
    def hub_trust(self):
        """How this terminal verifies an https:// hub (:class:`~firmware.terminal.hubhttp.HubTrust`)."""
        return HubTrust(ca_file=self.hub_ca_file, pin_sha256=self.hub_pin_sha256)

    def key(self):
        """The terminal's HMAC key (the key file holds it as one hex line, written by ``terminal enrol``)."""
        try:
            return bytes.fromhex(self.key_file.read_text(encoding="ascii").strip())
        except OSError as exc:
            raise SettingsError(f"terminal.key_file: cannot read {self.key_file}: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise SettingsError(f"terminal.key_file: {self.key_file} does not hold a hex key") from exc


_KEYS = {  # key -> (type, required)
    "id": (str, True), "hub": (str, False), "key_file": (str, False), "journal": (str, True),
    "pinmap": (str, True), "config_cache": (str, False), "status_file": (str, False), "hall_config": (str, False),
    "faults": (str, False),
    "journal_max_mb": (int, False), "pin_factory": (str, False), "hub_timeout_s": ((int, float), False),
    "batch_size": (int, False), "keypad": (bool, False), "keypad_tty": (str, False),
    "keypad_usb_id": (str, False), "keypad_usb_interface": (str, False),
    "hub_ca_file": (str, False), "hub_pin_sha256": (str, False),
}


def load_settings(path):
    """Read and check a terminal.toml; a SettingsError names the file and the key at fault."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return settings_from_dict(data, base=path.parent)
    except SettingsError as exc:
        raise SettingsError(f"{path}: {exc}") from exc


def settings_from_dict(data, *, base=Path(".")):
    """Check a decoded terminal.toml (its ``[terminal]`` table)."""
    unknown = sorted(set(data) - {"terminal"})
    if unknown:
        raise SettingsError(f"{unknown[0]}: unknown table (everything lives in [terminal])")
    table = data.get("terminal")
    if not isinstance(table, dict):
        raise SettingsError("terminal: missing table [terminal]")
    for key, value in table.items():
        if key not in _KEYS:
            raise SettingsError(f"terminal.{key}: unknown key (expected one of {', '.join(_KEYS)})")
        kind = _KEYS[key][0]
        if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
            raise SettingsError(f"terminal.{key}: wrong type, got {value!r}")
    for key, (_, required) in _KEYS.items():
        if required and key not in table:
            raise SettingsError(f"terminal.{key}: missing")
    if table.get("hub") and not table.get("key_file"):
        raise SettingsError("terminal.key_file: required when terminal.hub is set")
    _check_tls(table)
    factory = table.get("pin_factory", "default")
    if factory not in PIN_FACTORIES:
        raise SettingsError(f"terminal.pin_factory: must be one of {', '.join(PIN_FACTORIES)}, got {factory!r}")

    usb_id = table.get("keypad_usb_id", Settings.keypad_usb_id)
    usb_interface = table.get("keypad_usb_interface", Settings.keypad_usb_interface)
    if "keypad_usb_id" in table or "keypad_usb_interface" in table:
        from .keypad_udev import parse_usb_id, parse_usb_interface
        try:
            parse_usb_id(usb_id)
            parse_usb_interface(usb_interface)
        except ValueError as exc:
            raise SettingsError(f"terminal.{exc}") from None

    def where(key, default=None):
        value = table.get(key, default)
        return None if value is None else base / value

    journal = where("journal")
    return Settings(
        terminal=table["id"], hub_url=table.get("hub"), key_file=where("key_file"), journal=journal,
        pinmap=where("pinmap"), config_cache=where("config_cache") or journal.parent / "hall-config.json",
        status_file=where("status_file") or journal.parent / "terminal-status.json",
        hall_config=where("hall_config"), faults=where("faults"), journal_max_mb=table.get("journal_max_mb", 64),
        pin_factory=factory, hub_timeout_s=float(table.get("hub_timeout_s", 10.0)),
        batch_size=table.get("batch_size", 500), keypad=table.get("keypad", True), keypad_tty=table.get("keypad_tty"),
        keypad_usb_id=usb_id, keypad_usb_interface=usb_interface, hub_ca_file=where("hub_ca_file"),
        hub_pin_sha256=table.get("hub_pin_sha256") and normalise_pin(table["hub_pin_sha256"]))


def _check_tls(table):
    """The TLS keys need an https:// hub, and a pin must be a SHA-256 fingerprint."""
    for key in ("hub_ca_file", "hub_pin_sha256"):
        if key in table and not str(table.get("hub", "")).startswith("https://"):
            raise SettingsError(f"terminal.{key}: needs an https:// hub, got hub = {table.get('hub')!r}")
    if "hub_pin_sha256" in table:
        try:
            normalise_pin(table["hub_pin_sha256"])
        except ValueError as exc:
            raise SettingsError(f"terminal.{exc}") from None
