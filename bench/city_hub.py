"""The hub side of ``bench/city.py``: its database, its halls, its serving processes, the center's pages.

Two steps wait for work on other branches; each is one function here, to switch on when that work lands:

- :func:`database_options` (with :func:`open_store`): today the hub serves a SQLite file only
  (``hub serve --db PATH``), so a ``postgresql://`` URL is refused here. When ``hub serve --database URL``
  exists (branch ``pg``), return ``["--database", database]`` for every database and open the store on the URL.
- :func:`add_halls` (with :func:`center_pages`): today a hub holds ONE hall, so the *halls* are emulated as
  window groups of one hall config (hall *h*'s ids start ``hNNN-``), and the center's pages are that hall's
  monthly report and wall. When a hub holds several halls (branch ``halls``), run
  ``hallpost hub hall add --config hall.toml`` once per hall with :func:`hall_of` as its document, make
  each window's code in its own hall, and point :func:`center_pages` at the center's report and wall.
"""
import collections
import os
import statistics
import subprocess
import time

from bench.hub import cpu_seconds, free_port, hall_document, office_session, serve_hub
from hub.store import Store

TIMING_REPEATS = 3
HALLS_EMULATED = True           # add_halls puts every hall's windows in one hall (see the module's docstring)


class BenchRefused(Exception):
    """The bench cannot run as asked (the message says why and what to change)."""


def is_postgresql(database):
    """Is *database* a PostgreSQL URL (else a SQLite file path)."""
    return database.startswith(("postgresql://", "postgres://"))


def database_options(database):
    """The ``hub serve`` options naming *database* (today: SQLite only, see the module's docstring)."""
    if is_postgresql(database):
        raise BenchRefused(f"--database {database}: the hub serves SQLite only until `hub serve --database` "
                           "lands (branch pg); switch it on in bench/city_hub.py: database_options, open_store")
    return ["--db", database]


def open_store(database):
    """The hub's store on *database* (a SQLite file today)."""
    database_options(database)             # refuses a database the hub cannot serve yet
    return Store.open(database)


def hall_of(hall):
    """The prefix of hall number *hall* (1, 2, ...): every id of that hall starts with it."""
    return f"h{hall:03d}-"


def add_halls(store, halls, windows):
    """Put *halls* halls of *windows* windows each in the hub; return {terminal id: one-time enrolment code}.

    Today: one hall config holding every hall's windows (see the module's docstring); the codes are made in one
    transaction through the store (one commit, not one per window).
    """
    documents = [hall_document(windows, hall_of(h)) for h in range(1, halls + 1)]
    merged = dict(documents[0], hall={"name": f"{halls}个大厅的中心", "timezone": "Asia/Shanghai"},
                  clerks=[c for d in documents for c in d["clerks"]],
                  windows=[w for d in documents for w in d["windows"]])
    store.configs.save(merged, "bench")
    with store.transaction():
        return {w["terminal"]: store.terminals.new_enrolment_code(w["id"], "bench") for w in merged["windows"]}


def center_pages(month):
    """{result key: admin path} of the center's monthly report across halls and the center wall (today: the one
    hall's, which holds every window)."""
    return {"center_month_report_ms": f"/admin/reports/monthly.csv?month={month}",
            "center_wall_ms": "/admin/wall.json"}


def start_hubs(database, processes, derive_every, logs):
    """*processes* ``hallpost hub serve`` processes on *database*, each on a free port, logging to
    ``hub-PORT.log`` in the directory *logs*; [(process, port)]."""
    hubs = []
    try:
        for _ in range(processes):
            port = free_port()
            hubs.append((serve_hub(port, *database_options(database), "--derive-every", str(derive_every),
                                   log=os.path.join(logs, f"hub-{port}.log")), port))
    except BaseException:
        stop_hubs(hubs)
        raise
    return hubs


def stop_hubs(hubs):
    """Stop the hub processes (SIGTERM, then SIGKILL after 10 s)."""
    for process, _ in hubs:
        process.terminate()
    for process, _ in hubs:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def hub_cpu_seconds(hubs):
    """CPU seconds the hub processes used so far (Linux /proc)."""
    return sum(cpu_seconds(process.pid) for process, _ in hubs)


def time_center_pages(port, store, month):
    """Median milliseconds of each of the center's pages over HTTP, logged in as an office user (and the first
    try of each, which may wait for the deriver)."""
    http = office_session(port, store)
    if http is None:
        raise BenchRefused("the hub serves no admin login page")
    timings = {}
    for key, path in center_pages(month).items():
        times = []
        for _ in range(TIMING_REPEATS):
            started = time.perf_counter()
            answer = http.get(f"http://127.0.0.1:{port}{path}", timeout=120)
            times.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise BenchRefused(f"GET {path}: {answer.status_code} {answer.text[:200]}")
        timings[key] = round(statistics.median(times), 1)
        timings[key.replace("_ms", "_first_ms")] = round(times[0], 1)
    http.close()
    return timings


def count_held(store, sent):
    """Compare what the hub holds with *sent* ({terminal: highest seq sent, all acked}), per terminal by seq.

    Returns {"lost": seqs sent and acked but not held, "duplicated": extra copies of a (terminal, seq) held,
    "unexpected": seqs held that were never sent}.
    """
    held = collections.Counter((fact["terminal"], fact["seq"]) for fact in store.facts.held())
    lost = sum(1 for terminal, last in sent.items() for seq in range(1, last + 1) if (terminal, seq) not in held)
    duplicated = sum(copies - 1 for copies in held.values())
    unexpected = sum(1 for terminal, seq in held if not 1 <= seq <= sent.get(terminal, 0))
    return {"lost": lost, "duplicated": duplicated, "unexpected": unexpected}


def sqlite_path(workdir, name):
    """A fresh SQLite database path in *workdir*."""
    return os.path.join(workdir, f"{name}.sqlite")
