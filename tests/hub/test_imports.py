"""The hub installs and runs without the terminal's hardware libraries (style rule 1)."""
import subprocess
import sys

from .conftest import HALL_TOML

BLOCKED = ("gpiozero", "pyudev", "serial", "tinydb")
PROGRAM = f"""
import sys, tempfile, os
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, Block())
import hub, hub.cli, hub.store, hub.api
app = hub.create_app({{"DATABASE": os.path.join(tempfile.mkdtemp(), "h.sqlite"), "HALL_CONFIG": {str(HALL_TOML)!r}}})
assert app.test_client().get("/api/v1/clock").status_code == 200
print(sorted(m for m in sys.modules if m.split(".")[0] in {BLOCKED!r}))
"""


def test_hub_runs_with_the_hardware_libraries_blocked():
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
