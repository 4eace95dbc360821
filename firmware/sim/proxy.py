"""A terminal's network cable to the hub, as a loopback TCP proxy the simulator can cut and restore."""
import logging
import selectors
import socket
import threading

log = logging.getLogger(__name__)
CHUNK = 65536


class Cable:
    """Forwards connections from its own 127.0.0.1 port to the hub; ``cut()`` drops them all until ``restore()``."""

    def __init__(self, hub_port, *, host="127.0.0.1"):
        self.hub = (host, hub_port)
        self._listener = socket.create_server((host, 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open = set()
        self._cut = False
        self._closed = threading.Event()
        self.cuts = 0
        self._thread = threading.Thread(target=self._accept, name=f"cable-{self.port}", daemon=True)

    @property
    def url(self):
        """The hub's URL as the terminal behind this cable reaches it."""
        return f"http://{self.hub[0]}:{self.port}"

    def start(self):
        """Start accepting connections."""
        self._thread.start()
        return self

    def cut(self):
        """Unplug: close every connection in flight and refuse new ones."""
        with self._lock:
            self._cut = True
            self.cuts += 1
            doomed, self._open = self._open, set()
        for sock in doomed:
            _shut(sock)

    def restore(self):
        """Plug the cable back in."""
        with self._lock:
            self._cut = False

    def close(self):
        """Stop accepting and close everything; safe to call twice."""
        if self._closed.is_set():
            return
        self._closed.set()
        self.cut()
        _shut(self._listener)
        if self._thread.is_alive():
            self._thread.join(5.0)

    def _accept(self):
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                refused = self._cut
            if refused:
                _shut(client)
                continue
            threading.Thread(target=self._carry, args=(client,), daemon=True).start()

    def _carry(self, client):
        try:
            upstream = socket.create_connection(self.hub, timeout=5.0)
        except OSError as exc:
            log.warning("cable %d: hub not reachable: %s", self.port, exc)
            _shut(client)
            return
        with self._lock:
            if self._cut:
                _shut(client)
                _shut(upstream)
                return
            self._open.update((client, upstream))
        peer = {client: upstream, upstream: client}
        try:
            with selectors.DefaultSelector() as selector:
                for sock in peer:
                    sock.setblocking(False)
                    selector.register(sock, selectors.EVENT_READ)
                while self._pump(selector, peer):
                    pass
        except (OSError, ValueError):       # cut while this connection was being set up: already closed
            pass
        with self._lock:
            self._open.difference_update(peer)
        for sock in peer:
            _shut(sock)

    def _pump(self, selector, peer):
        """Move what is readable to the other side; False once either side closed."""
        for key, _ in selector.select(timeout=1.0):
            try:
                data = key.fileobj.recv(CHUNK)
                if not data:
                    return False
                peer[key.fileobj].setblocking(True)
                peer[key.fileobj].sendall(data)
                peer[key.fileobj].setblocking(False)
            except OSError:
                return False
        return not self._closed.is_set() and all(sock.fileno() >= 0 for sock in peer)


def _shut(sock):
    """Close a socket at once, both directions (the peer sees a reset or EOF)."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
