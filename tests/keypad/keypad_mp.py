"""Runs code in real MicroPython (the WebAssembly port under Node) with the keypad firmware importable."""
import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = ROOT / "firmware" / "keypad" / "host"
RUNNER = HOST / "run.mjs"
PACKAGE = HOST / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"


def micropython_missing():
    """Why the MicroPython host runner cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (scripts/test installs Node packages when npm is present)"
    if not PACKAGE.is_dir():
        return "firmware/keypad/host/node_modules is missing: run scripts/test (it runs npm ci there)"
    return None


def run_micropython(code, timeout=30):
    """Run *code* in MicroPython with the firmware importable; the dict it passed to ``report()``."""
    done = subprocess.run(["node", str(RUNNER), "-"], input=code, capture_output=True, text=True,
                          timeout=timeout, cwd=HOST, check=False)
    assert done.returncode == 0, f"MicroPython failed:\n{done.stderr}"
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(lines) == 1, f"expected one RESULT line, got:\n{done.stdout}"
    return json.loads(lines[0][len("RESULT "):])
