"""A real ``hallpost hub serve`` (waitress) in a child process on a free port of 127.0.0.1."""
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import requests

from hub.store import Store
from tests.servers import free_port

from .conftest import HALL_TOML


def wait_until_up(url, process, attempts=150):
    """Poll *url* until it answers (the child printed nothing useful if it died first)."""
    for _ in range(attempts):
        if process.poll() is not None:
            raise AssertionError(f"hub serve exited with {process.returncode}: {process.stderr.read()}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


@contextmanager
def hub_serve(db, *options, port=None, env=None):
    """Run ``hallpost hub serve --database DB OPTIONS`` on 127.0.0.1 (with *env* added to the environment); yields
    its base URL, stops it after."""
    port = port or free_port()
    with Store.open(db):        # created and migrated before the child starts
        pass
    process = subprocess.Popen([sys.executable, "-m", "protocol.cli", "hub", "serve", "--database", str(db),
                                "--config", str(HALL_TOML), "--port", str(port), "--derive-every", "0",
                                "--alert-every", "0", *options],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/api/v1/clock", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()
