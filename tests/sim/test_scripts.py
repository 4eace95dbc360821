"""The simulator's launchers pass shellcheck and answer --help without starting anything."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (Debian shellcheck)")
@pytest.mark.parametrize("script", ["hallsim", "demo"])
def test_launchers_pass_shellcheck(script):
    subprocess.run(["shellcheck", "-x", f"scripts/{script}"], cwd=ROOT, check=True)


@pytest.mark.parametrize("command", [["-m", "firmware.sim", "--help"], ["-m", "protocol.cli", "demo", "--help"],
                                     ["-m", "protocol.cli", "hub", "wall", "--help"]])
def test_commands_answer_help(command):
    done = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "--windows" in done.stdout or "--db" in done.stdout
