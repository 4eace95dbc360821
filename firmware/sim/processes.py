"""The real processes of a simulated hall: the hub server and the window terminals, started with ``hallpost``.

Each child runs ``python -m protocol.cli ...`` (the ``hallpost`` command) with its output in a log file
under the hall's work directory. Children are started in their own process group so a kill reaches them
and nothing else.
"""
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

log = logging.getLogger(__name__)
START_TIMEOUT_S = 60.0
HALLPOST = [sys.executable, "-m", "protocol.cli"]
ROOT = Path(__file__).resolve().parents[2]


class ChildFailed(RuntimeError):
    """A child process of the simulated hall did not start or stopped unexpectedly."""


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_hallpost(args, *, log_path, timeout=120):
    """Run ``hallpost ARGS`` to completion; its stdout, or ChildFailed naming the command and its log."""
    with open(log_path, "ab") as log_file:
        done = subprocess.run(HALLPOST + args, stdout=subprocess.PIPE, stderr=log_file, timeout=timeout,
                              cwd=ROOT, check=False)
    if done.returncode != 0:
        raise ChildFailed(f"hallpost {' '.join(args[:2])} exited with {done.returncode}; see {log_path}")
    return done.stdout.decode()


class Child:
    """One long-running ``hallpost`` process with its log file; ``start()`` again after a stop."""

    def __init__(self, name, args, *, log_path, env=None):
        self.name, self.args, self.log_path, self.env = name, args, Path(log_path), env
        self.process = None
        self.starts = 0

    @property
    def running(self):
        """True while the process is alive."""
        return self.process is not None and self.process.poll() is None

    def start(self):
        """Start the process (in its own process group)."""
        env = dict(os.environ, PYTHONUNBUFFERED="1", **(self.env or {}))
        env.pop("LD_PRELOAD", None)
        with open(self.log_path, "ab") as log_file:
            log_file.write(f"--- start {self.starts + 1}: hallpost {' '.join(self.args)}\n".encode())
            log_file.flush()
            self.process = subprocess.Popen(HALLPOST + self.args, stdout=log_file, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, cwd=ROOT, env=env, start_new_session=True)
        self.starts += 1
        return self

    def kill(self):
        """SIGKILL the process group (a power cut) and reap it."""
        self._signal(signal.SIGKILL)

    def stop(self, timeout=10.0):
        """SIGTERM, then SIGKILL after *timeout*; safe to call twice."""
        if not self.running:
            return
        self._signal(signal.SIGTERM, timeout)
        if self.running:
            self.kill()

    def check(self):
        """Raise ChildFailed if the process has exited."""
        if self.process is not None and self.process.poll() is not None:
            raise ChildFailed(f"{self.name} exited with {self.process.returncode}; see {self.log_path}:\n"
                              + self.tail())

    def tail(self, lines=15):
        """The last lines of the log."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _signal(self, signum, timeout=10.0):
        if not self.running:
            return
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass


class Hub(Child):
    """The hub server on 127.0.0.1:*port*, its database (*database*, a URL; default: hub.sqlite in *workdir*)
    initialised with an office account."""

    def __init__(self, workdir, *, hall_toml, timeline, port=None, user="office", database=None):
        self.workdir, self.timeline, self.user = Path(workdir), timeline, user
        self.port = port or free_port()
        self.db = database or self.workdir / "hub.sqlite"
        self.password_file = self.workdir / "office-password.txt"
        self.hall_toml = hall_toml
        super().__init__("hub", ["hub", "serve", "--database", str(self.db), "--port", str(self.port)],
                         log_path=self.workdir / "logs" / "hub.log", env=timeline.environment())

    @property
    def url(self):
        """The hub's own URL (the office's browser uses it; terminals go through their cables)."""
        return f"http://127.0.0.1:{self.port}"

    def init(self):
        """``hallpost hub init`` with a generated password kept in ``office-password.txt`` (mode 0600)."""
        import secrets
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(12) + "\n")
        run_hallpost(["hub", "init", "--database", str(self.db), "--config", str(self.hall_toml), "--user", self.user,
                      "--password-file", str(self.password_file)], log_path=self.log_path)
        return self

    @property
    def password(self):
        """The office account's generated password."""
        return self.password_file.read_text().strip()

    def wait_ready(self, timeout=START_TIMEOUT_S):
        """Wait until the hub answers its clock endpoint."""
        deadline = time.monotonic() + timeout
        while True:
            self.check()
            try:
                with urllib.request.urlopen(self.url + "/api/v1/clock", timeout=2) as answer:
                    json.load(answer)
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise ChildFailed(f"hub did not answer on {self.url} within {timeout} s:\n{self.tail()}") from None
                time.sleep(0.1)

    def store(self):
        """The hub's store opened directly (on the hub's simulated clock)."""
        from hub.clock import scaled_clock
        from hub.store import Store
        return Store.open(str(self.db), clock=scaled_clock(self.timeline.scale))
