"""Debian's nginx for tests: the shipped site (hardware/nginx) on free ports of 127.0.0.1, in the foreground."""
import os
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.hub.served import hub_serve
from tests.servers import free_port
from tests.tls import make_certificate, require

SITE = Path(__file__).resolve().parents[1] / "hardware" / "nginx" / "hallpost-hub.conf"


@dataclass(frozen=True)
class Front:
    """The running nginx: its HTTPS and plain-HTTP base URLs."""

    https: str
    http: str
    db: Path = None                 # the hub's database (hub_behind_nginx)
    certificate: object = None      # the hub's self-signed tests.tls.Certificate (hub_behind_nginx)


def render_site(*, https_port, http_port, hub_port, tls_dir):
    """The shipped site with its ports and certificate directory moved (as scripts/install-hub does)."""
    text = SITE.read_text(encoding="utf-8")
    moves = {"listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;", "listen 80;": f"listen 127.0.0.1:{http_port};",
             "server 127.0.0.1:8080;": f"server 127.0.0.1:{hub_port};", "/etc/hallpost/tls/": f"{tls_dir}/"}
    for old, new in moves.items():
        assert old in text, f"{SITE} no longer contains {old!r}"
        text = text.replace(old, new)
    return text


def main_config(directory):
    """A whole nginx.conf around the site: everything under *directory*, foreground, one worker."""
    d = directory
    return "\n".join((
        "daemon off;", "worker_processes 1;", f"pid {d}/nginx.pid;", f"error_log {d}/error.log notice;",
        "user root;" if os.geteuid() == 0 else "",
        "events { worker_connections 512; }",
        "http {", f"  access_log {d}/access.log;", f"  client_body_temp_path {d}/body;",
        f"  proxy_temp_path {d}/proxy;", f"  fastcgi_temp_path {d}/fastcgi;", f"  uwsgi_temp_path {d}/uwsgi;",
        f"  scgi_temp_path {d}/scgi;", f"  include {d}/site.conf;", "}", ""))


def wait_for_port(port, process, log):
    """Until 127.0.0.1:*port* accepts connections (nginx's error log if it exits first)."""
    for _ in range(100):
        if process.poll() is not None:
            raise AssertionError(f"nginx exited with {process.returncode}: {_text(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nginx never listened on {port}: {_text(log)}")


def _text(log):
    return log.read_text(errors="replace") if log.exists() else "(no error log)"


@contextmanager
def nginx_front(directory, *, hub_port, tls_dir):
    """Run nginx with the shipped site in front of the hub on *hub_port*; yields its Front."""
    nginx = require("nginx", "nginx")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    https_port, http_port = free_port(), free_port()
    (directory / "site.conf").write_text(render_site(https_port=https_port, http_port=http_port, hub_port=hub_port,
                                                     tls_dir=tls_dir), encoding="utf-8")
    (directory / "nginx.conf").write_text(main_config(directory), encoding="utf-8")
    log = directory / "error.log"
    process = subprocess.Popen([nginx, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-e", str(log)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(https_port, process, log)
        yield Front(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def hub_behind_nginx(directory):
    """A real ``hub serve --trusted-proxies 1`` on 127.0.0.1 behind nginx with a self-signed certificate."""
    directory = Path(directory)
    (directory / "tls").mkdir(parents=True, exist_ok=True)
    certificate = make_certificate(directory / "tls", "hub")
    db, hub_port = directory / "hub.sqlite", free_port()
    with hub_serve(db, "--trusted-proxies", "1", port=hub_port), \
            nginx_front(directory / "nginx", hub_port=hub_port, tls_dir=directory / "tls") as front:
        yield Front(front.https, front.http, db, certificate)
