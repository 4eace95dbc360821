"""Keypad test fixtures: the firmware in real MicroPython (WebAssembly port under Node)."""
import pytest

from keypad_mp import micropython_missing, run_micropython


@pytest.fixture
def micropython():
    """``micropython(code) -> results``; skips when node or its packages are absent."""
    why = micropython_missing()
    if why:
        pytest.skip(why)
    return run_micropython
