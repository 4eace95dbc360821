"""scripts/flash-keypad passes shellcheck and copies exactly the firmware modules the host runner loads."""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (Debian shellcheck)")
def test_flash_script_passes_shellcheck():
    result = subprocess.run(["shellcheck", "-x", "scripts/flash-keypad"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout


def test_firmware_modules_are_all_named_in_the_freeze_manifest():
    firmware = ROOT / "firmware" / "keypad"
    modules = {path.name for path in firmware.glob("*.py")} - {"main.py", "manifest.py"}
    manifest = (firmware / "manifest.py").read_text()
    assert modules == {name for name in modules if f'module("{name}")' in manifest}
    assert 'package("protocol"' in manifest
