"""terminal.toml's keypad keys: the USB interface of the keypad's data port, checked with the key named."""
import pytest

from firmware.terminal.errors import SettingsError
from firmware.terminal.settings import load_settings

BASE = '[terminal]\nid = "win-01"\njournal = "j"\npinmap = "p.toml"\n'


def settings(tmp_path, extra):
    path = tmp_path / "terminal.toml"
    path.write_text(BASE + extra)
    return load_settings(path)


def test_the_keypads_own_data_port_is_the_default(tmp_path):
    assert settings(tmp_path, "").keypad_usb_interface == "02"


def test_a_keypad_on_the_repl_console_is_configured_as_interface_00(tmp_path):
    assert settings(tmp_path, 'keypad_usb_interface = "00"\n').keypad_usb_interface == "00"


@pytest.mark.parametrize("extra, message", [
    ('keypad_usb_interface = "2"\n', "terminal.keypad_usb_interface: expected two hex digits"),
    ('keypad_usb_interface = "if02"\n', "terminal.keypad_usb_interface: expected two hex digits"),
    ("keypad_usb_interface = 2\n", "terminal.keypad_usb_interface: wrong type"),
    ('keypad_usb_id = "2e8a:0005"\nkeypad_usb_interface = "x"\n', "terminal.keypad_usb_interface"),
])
def test_malformed_interface_is_refused_naming_the_key(tmp_path, extra, message):
    with pytest.raises(SettingsError, match=message):
        settings(tmp_path, extra)
