"""sd_notify datagrams reach a real AF_UNIX socket as systemd would receive them."""

import os
import socket

import pytest

from firmware.terminal.sdnotify import SystemdNotifier


@pytest.fixture
def systemd(tmp_path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(2)
    yield sock
    sock.close()


def test_ready_ping_stopping(systemd, tmp_path):
    environ = {"NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_USEC": "30000000",
               "WATCHDOG_PID": str(os.getpid())}
    with SystemdNotifier(environ=environ) as notifier:
        assert notifier.enabled and notifier.ping_interval_s == 15.0
        notifier.ready("panel and journal open")
        notifier.ping()
        notifier.stopping()
    assert [systemd.recv(256) for _ in range(3)] == [b"READY=1\nSTATUS=panel and journal open", b"WATCHDOG=1",
                                                     b"STOPPING=1"]
    notifier.close()


def test_abstract_socket_address():
    name = f"@hallpost-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name[1:])
    sock.settimeout(2)
    try:
        with SystemdNotifier(environ={"NOTIFY_SOCKET": name}) as notifier:
            notifier.ready()
        assert sock.recv(64) == b"READY=1"
    finally:
        sock.close()


@pytest.mark.parametrize("environ", [{}, {"WATCHDOG_USEC": "30000000"}])
def test_outside_systemd_nothing_is_sent(environ):
    with SystemdNotifier(environ=environ) as notifier:
        assert not notifier.enabled
        notifier.ready()
        notifier.ping()


def test_watchdog_meant_for_another_process_is_ignored(systemd, tmp_path):
    environ = {"NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}
    with SystemdNotifier(environ=environ) as notifier:
        assert notifier.enabled and notifier.ping_interval_s is None
