"""terminal.toml: one table of keys (the Settings fields) checks the file, fills the defaults, documents itself."""
import re
from pathlib import Path

import pytest

from firmware.terminal.errors import SettingsError
from firmware.terminal.settings import KEYS, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "firmware" / "terminal" / "terminal.example.toml"
MINIMAL = '[terminal]\nid = "win-01"\njournal = "data/journal"\npinmap = "pinmap.toml"\n'


def settings(tmp_path, text):
    path = tmp_path / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def test_a_minimal_file_gets_every_default(tmp_path):
    got = settings(tmp_path, MINIMAL)
    assert (got.terminal, got.journal, got.pinmap) == ("win-01", tmp_path / "data/journal", tmp_path / "pinmap.toml")
    assert (got.hub_url, got.key_file, got.hall_config, got.faults, got.keypad_tty) == (None,) * 5
    assert (got.journal_max_mb, got.pin_factory, got.hub_timeout_s, got.batch_size, got.keypad) == \
        (64, "default", 10.0, 500, True)
    assert (got.keypad_usb_id, got.keypad_usb_interface) == ("2e8a:0005", "02")
    assert (got.config_cache, got.status_file) == (tmp_path / "data/hall-config.json",
                                                   tmp_path / "data/terminal-status.json")


def test_given_values_and_paths_relative_to_the_file(tmp_path):
    got = settings(tmp_path, MINIMAL + 'hub = "http://hub:8080"\nkey_file = "/etc/k"\nhub_timeout_s = 3\n'
                   'status_file = "s.json"\nkeypad = false\nbatch_size = 7\n')
    assert (got.hub_url, got.key_file, got.status_file) == ("http://hub:8080", Path("/etc/k"), tmp_path / "s.json")
    assert got.hub_timeout_s == 3.0 and isinstance(got.hub_timeout_s, float)
    assert (got.keypad, got.batch_size) == (False, 7)


@pytest.mark.parametrize("text, message", [
    (MINIMAL.replace('id = "win-01"\n', ""), "terminal.id: missing"),
    (MINIMAL.replace('pinmap = "pinmap.toml"\n', ""), "terminal.pinmap: missing"),
    (MINIMAL + 'hub_timeout_s = "10"\n', "terminal.hub_timeout_s: wrong type, got '10'"),
    (MINIMAL + "journal_max_mb = true\n", "terminal.journal_max_mb: wrong type, got True"),
    (MINIMAL + "keypad = 1\n", "terminal.keypad: wrong type, got 1"),
    (MINIMAL + "journal_max_mb = 6.5\n", "terminal.journal_max_mb: wrong type, got 6.5"),
    (MINIMAL + '[other]\nx = 1\n', "other: unknown table"),
])
def test_a_bad_file_is_refused_naming_the_key(tmp_path, text, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        settings(tmp_path, text)


def test_the_example_documents_exactly_the_keys_of_the_table():
    documented = re.findall(r"^#? ?(\w+) = ", EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(documented) == sorted(KEYS)
