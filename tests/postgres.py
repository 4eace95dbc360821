"""A throwaway PostgreSQL cluster for tests: Debian's server binaries, on a free port of 127.0.0.1, removed after;
a fresh database per test, copied from a template holding the hub's migrated schema."""
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.servers import free_port

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Cluster:
    """The running cluster: the URL of its test database and the directory holding its data, socket and log."""

    url: str
    directory: Path


def server_bindir():
    """The directory of initdb and pg_ctl; skip without it, except in CI (CI=true), where it is a failure."""
    found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip() \
        if shutil.which("pg_config") else ""
    candidates = [found] + sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name),
                                  reverse=True)
    for bindir in filter(None, candidates):
        if (Path(bindir) / "initdb").exists() and (Path(bindir) / "pg_ctl").exists():
            return Path(bindir)
    if os.environ.get("CI") == "true":
        pytest.fail("PostgreSQL's initdb/pg_ctl are missing: scripts/test installs Debian's postgresql")
    pytest.skip("PostgreSQL server binaries not installed (Debian postgresql; scripts/test installs it)")


def _run_as(directory):
    """subprocess keywords running the server as `postgres` when we are root (it refuses root), else as ourselves."""
    if os.geteuid() != 0:
        return {}
    shutil.chown(directory, "postgres", "postgres")
    return {"user": "postgres", "group": "postgres", "extra_groups": []}


def _log(directory):
    log = directory / "server.log"
    return log.read_text(errors="replace") if log.exists() else "(no server log)"


@contextmanager
def postgres_cluster(database="hallpost", *, durable=False):
    """initdb, start on 127.0.0.1 and a free port (fsync off unless *durable*: benchmarks compare it with SQLite
    synced per commit), create *database*; yields a Cluster; stops, removes."""
    bindir = server_bindir()
    directory = Path(tempfile.mkdtemp(prefix="hallpost-pg-"))
    data, port, user = directory / "data", free_port(), {}
    try:
        user = _run_as(directory)

        def run(*command):
            done = subprocess.run([str(bindir / command[0]), *command[1:]], cwd=directory, capture_output=True,
                                  text=True, **user)
            if done.returncode:
                raise AssertionError(f"{command[0]} failed ({done.returncode}): {done.stderr}\n{_log(directory)}")

        run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
        run("pg_ctl", "-D", str(data), "-l", str(directory / "server.log"), "-w", "-t", "60",
            "-o", f"-h 127.0.0.1 -p {port} -k {directory}{'' if durable else ' -F'}", "start")
        run("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database)
        yield Cluster(f"postgresql://postgres@127.0.0.1:{port}/{database}", directory)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], cwd=directory,
                           capture_output=True, **user)
        shutil.rmtree(directory, ignore_errors=True)


def _admin(url):
    """An autocommit connection to the cluster's first database (CREATE/DROP DATABASE run outside transactions)."""
    import psycopg
    return psycopg.connect(url, autocommit=True)


def url_of_database(url, name):
    """*url* naming the database *name* instead."""
    return urlsplit(url)._replace(path="/" + name).geturl()


@contextmanager
def migrated_template(url, name="hallpost_template"):
    """A database *name* on *url*'s cluster holding the hub's migrated schema, to copy per test; dropped after."""
    from hub.store import Store
    from hub.store.postgresql import close_pool
    with _admin(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    template = url_of_database(url, name)
    Store.open(template).close()
    close_pool(template)            # a template must have no connections while it is copied
    try:
        yield name
    finally:
        with _admin(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database(url, template):
    """A new database copied from *template* on *url*'s cluster; yields its URL; closes its pool and drops it after."""
    from hub.store.postgresql import close_pool
    name = f"t{next(_numbers)}_{os.getpid()}"
    with _admin(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    database = url_of_database(url, name)
    try:
        yield database
    finally:
        close_pool(database)
        with _admin(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
