"""Keypad test fixtures: the firmware in real MicroPython (WebAssembly port under Node)."""
import os
import queue
import tty

import pytest

from firmware.terminal.keypad import KeypadLink
from .keypad_mp import NodeKeypad, micropython_missing, run_micropython


@pytest.fixture
def micropython():
    """``micropython(code) -> results``; skips when node or its packages are absent."""
    why = micropython_missing()
    if why:
        pytest.skip(why)
    return run_micropython


@pytest.fixture
def plug(micropython):
    """``plug() -> (devnode, keypad)``: a fresh pty pair with the firmware (Node) on its master end."""
    made = []

    def plug():
        master, slave = os.openpty()
        tty.setraw(slave)
        keypad = NodeKeypad(master)
        os.close(master)
        made.append((keypad, slave))
        return os.ttyname(slave), keypad

    yield plug
    for keypad, slave in made:
        keypad.unplug()
        os.close(slave)


class Facts:
    """What a KeypadLink reported, in order; ``next()`` waits for the following one."""

    def __init__(self):
        self.seen = []
        self._queue = queue.Queue()

    def report(self, kind, data):
        self.seen.append((kind, data))
        self._queue.put((kind, data))

    def next(self, timeout=5.0):
        """The next fact as (kind, data); fails the test if none comes within *timeout*."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no fact within {timeout}s; so far {self.seen}")

    def none_within(self, seconds):
        """True if no further fact arrives within *seconds*."""
        try:
            extra = self._queue.get(timeout=seconds)
        except queue.Empty:
            return True
        self._queue.put(extra)
        return False


@pytest.fixture
def facts():
    return Facts()


@pytest.fixture
def link(facts):
    """A started KeypadLink (no watcher) recording into ``facts``; closed and checked after the test."""
    keypad_link = KeypadLink(timeout_s=5, grace_s=0.3, retry_s=0.2).start(facts.report)
    yield keypad_link
    keypad_link.close()
    keypad_link.close()
    assert not keypad_link._thread.is_alive()
