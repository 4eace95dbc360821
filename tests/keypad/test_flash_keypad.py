"""scripts/flash-keypad passes shellcheck, installs the declared micropython-lib packages and copies the firmware."""
import json
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


def test_package_json_declares_usb_device_cdc_and_every_module_the_board_needs():
    firmware = ROOT / "firmware" / "keypad"
    package = json.loads((firmware / "package.json").read_text())
    modules = {path.name for path in firmware.glob("*.py")} - {"main.py", "manifest.py"}
    targets = {target for target, _ in package["urls"]}
    assert targets == modules | {"protocol/__init__.py", "protocol/serial.py"}
    for target, url in package["urls"]:
        source = (firmware / url).resolve()
        assert source.is_file() and source.name == target.rsplit("/", 1)[-1], (target, url)
    assert package["deps"] == [["usb-device-cdc", "latest"]]
    assert 'require("usb-device-cdc")' in (firmware / "manifest.py").read_text()


def test_flash_script_installs_the_declared_dependencies_before_the_firmware():
    package = json.loads((ROOT / "firmware" / "keypad" / "package.json").read_text())
    script = (ROOT / "scripts" / "flash-keypad").read_text()
    for name, _ in package["deps"]:
        assert script.index(f"mip install {name}") < script.index("fs cp")
