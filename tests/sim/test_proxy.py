"""The simulator's network cable: a loopback TCP proxy that can be cut and restored."""
import socket
import socketserver
import threading

import pytest

from firmware.sim.proxy import Cable


class Echo(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class EchoHandler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


@pytest.fixture
def cable():
    server = Echo(("127.0.0.1", 0), EchoHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with_cable = Cable(server.server_address[1]).start()
    yield with_cable
    with_cable.close()
    server.shutdown()
    server.server_close()


def _echo(port, text):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(text.encode() + b"\n")
        return conn.makefile().readline().strip()


def test_a_cable_carries_traffic_until_cut_and_again_once_restored(cable):
    assert _echo(cable.port, "hello") == "hello"
    cable.cut()
    with pytest.raises(OSError):
        reply = _echo(cable.port, "lost")
        if not reply:
            raise ConnectionResetError("closed by the cut cable")
    cable.restore()
    assert _echo(cable.port, "back") == "back"
    assert cable.cuts == 1


def test_cutting_drops_a_connection_in_flight(cable):
    with socket.create_connection(("127.0.0.1", cable.port), timeout=5) as conn:
        conn.sendall(b"one\n")
        reader = conn.makefile()
        assert reader.readline().strip() == "one"
        cable.cut()
        try:
            conn.sendall(b"two\n")
            assert reader.readline() == ""
        except OSError:
            pass            # reset by the cut: equally gone
