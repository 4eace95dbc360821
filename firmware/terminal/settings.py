"""The terminal's own settings (``terminal.toml``): who it is, where its hub, key, journal and pin map are.

See ``terminal.example.toml`` next to this module for every key with its default.
"""
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import SettingsError
from .hubhttp import HubTrust, normalise_pin

PIN_FACTORIES = ("default", "mock")


def _key(default=None, *, toml=None, kind=str, required=False, path=False):
    """A Settings field as ``[terminal]`` spells it: its key (default: the field's name), TOML type, default."""
    return field(default=default, metadata={"toml": toml, "kind": kind, "required": required, "path": path})


@dataclass(frozen=True)
class Settings:
    """A checked ``terminal.toml``; relative paths are relative to the file's directory.

    The fields are the one table of the keys: ``_key`` gives each its TOML name, type and default.
    """

    terminal: str = _key(toml="id", required=True)
    hub_url: str | None = _key(toml="hub")
    key_file: Path | None = _key(path=True)
    journal: Path = _key(required=True, path=True)
    pinmap: Path = _key(required=True, path=True)
    config_cache: Path = _key(path=True)          # default: hall-config.json beside the journal
    status_file: Path = _key(path=True)           # default: terminal-status.json beside the journal
    hall_config: Path | None = _key(path=True)
    faults: Path | None = _key(path=True)
    journal_max_mb: int = _key(64, kind=int)
    pin_factory: str = _key("default")
    hub_timeout_s: float = _key(10.0, kind=(int, float))
    batch_size: int = _key(500, kind=int)
    keypad: bool = _key(True, kind=bool)
    keypad_tty: str | None = _key()
    keypad_usb_id: str = _key("2e8a:0005")        # vendor:product of the keypad (MicroPython on a Pico)
    keypad_usb_interface: str = _key("02")        # its data port's USB interface ("00": older firmware, REPL)
    hub_ca_file: Path | None = _key(path=True)    # https hub: verify it against this CA (PEM)
    hub_pin_sha256: str | None = _key()           # https hub: its certificate's SHA-256 fingerprint

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


KEYS = {setting.metadata["toml"] or setting.name: setting for setting in fields(Settings)}   # [terminal] key


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
        if key not in KEYS:
            raise SettingsError(f"terminal.{key}: unknown key (expected one of {', '.join(KEYS)})")
        kind = KEYS[key].metadata["kind"]
        if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
            raise SettingsError(f"terminal.{key}: wrong type, got {value!r}")
    for key, setting in KEYS.items():
        if setting.metadata["required"] and key not in table:
            raise SettingsError(f"terminal.{key}: missing")
    if table.get("hub") and not table.get("key_file"):
        raise SettingsError("terminal.key_file: required when terminal.hub is set")
    _check_tls(table)
    values = {setting.name: _value(table, key, setting, base) for key, setting in KEYS.items()}
    if values["pin_factory"] not in PIN_FACTORIES:
        raise SettingsError(f"terminal.pin_factory: must be one of {', '.join(PIN_FACTORIES)}, "
                            f"got {values['pin_factory']!r}")
    if "keypad_usb_id" in table or "keypad_usb_interface" in table:
        from .keypad_udev import parse_usb_id, parse_usb_interface
        try:
            parse_usb_id(values["keypad_usb_id"])
            parse_usb_interface(values["keypad_usb_interface"])
        except ValueError as exc:
            raise SettingsError(f"terminal.{exc}") from None
    values["hub_timeout_s"] = float(values["hub_timeout_s"])
    values["hub_pin_sha256"] = values["hub_pin_sha256"] and normalise_pin(values["hub_pin_sha256"])
    values["config_cache"] = values["config_cache"] or values["journal"].parent / "hall-config.json"
    values["status_file"] = values["status_file"] or values["journal"].parent / "terminal-status.json"
    return Settings(**values)


def _value(table, key, setting, base):
    """The value of *key* in *table*, else its default; a path relative to *base*."""
    value = table.get(key, setting.default)
    return base / value if setting.metadata["path"] and value is not None else value


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
