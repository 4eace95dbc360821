"""The hub side of ``bench/city.py``: its database (a SQLite file, a PostgreSQL URL, or a throwaway PostgreSQL
cluster it starts), its halls (one hall config each, ``configs.add_hall``), its serving processes, the center's pages.
"""
import collections
import os
import re
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext

from bench.hub import ROOT, cpu_seconds, free_port, hall_document, office_session, serve_hub
from hub.store.database import dialect_of

TIMING_REPEATS = 3
PAGE_TIMEOUT_S = 600            # an admin request may wait this long (for the deriver's catch-up after the backlog)
BACKGROUND_NICE = 5             # as hardware/systemd/hallpost-hub-background.service runs it
STILL_DERIVING = re.compile(r'id="still-deriving">\D*(\d+)')    # a page's count of window-days being re-judged
OWN_CLUSTER = "postgres"        # --database postgres: a throwaway PostgreSQL cluster the bench starts itself


class BenchRefused(Exception):
    """The bench cannot run as asked (the message says why and what to change)."""


@contextmanager
def database_of(database, default):
    """(database URL, PostgreSQL server pid or None) to run on: *database* itself, *default* when None, or a
    throwaway cluster's for ``postgres`` (its server's pid: the bench measures its CPU); this process's
    PostgreSQL pool for it is closed after."""
    with (own_cluster() if database == OWN_CLUSTER else nullcontext((database or default, None))) as (url, server):
        try:
            yield url, server
        finally:
            if dialect_of(url) == "postgresql":
                from hub.store.postgresql import close_pool      # psycopg is the extra "postgresql"
                close_pool(url)


@contextmanager
def own_cluster():
    """(database URL, postmaster pid) of a new PostgreSQL cluster (tests/postgres.py: initdb on a free port of
    127.0.0.1, fsync on as in production); the cluster is stopped and removed after."""
    import pytest

    from tests.postgres import postgres_cluster
    try:
        with postgres_cluster("city", durable=True) as cluster:
            pid = int((cluster.directory / "data" / "postmaster.pid").read_text().split()[0])
            yield cluster.url, pid
    except pytest.skip.Exception as exc:
        raise BenchRefused(f"--database {OWN_CLUSTER}: {exc.msg}") from None


def hall_of(hall):
    """The id of hall number *hall* (1, 2, ...); every clerk, window and terminal id of that hall starts with it."""
    return f"h{hall:03d}"


def add_halls(store, halls, windows):
    """Add *halls* halls of *windows* windows each to the hub (one config each, as ``hallpost hub hall add``
    does); return {terminal id: one-time enrolment code}, each made in its window's hall (one transaction)."""
    windows_of = {}
    for h in range(1, halls + 1):
        document = hall_document(windows, hall_of(h) + "-")
        document["hall"]["id"] = hall_of(h)
        windows_of[store.configs.add_hall(document, "bench")] = document["windows"]
    with store.transaction():
        return {w["terminal"]: store.terminals.new_enrolment_code(w["id"], "bench", hall=hall)
                for hall, windows in windows_of.items() for w in windows}


def center_pages(store, month):
    """{result key: admin paths} of the center's pages: its wall, the monthly attendance report across every hall
    (one page, /admin/center/monthly.csv), and for comparison each hall's own monthly report in turn (what a
    center fetched before it had the one page)."""
    return {"center_wall_ms": ["/admin/center"],
            "center_month_report_ms": [f"/admin/center/monthly.csv?month={month}"],
            "center_month_report_per_hall_ms": [f"/admin/reports/monthly.csv?month={month}&hall={hall['id']}"
                                                for hall in store.configs.halls()]}


def start_hubs(database, processes, derive_every, logs, alert_every=1.0, background=False):
    """*processes* ``hallpost hub serve`` processes on *database*, each on a free port, logging to
    ``hub-PORT.log`` in the directory *logs*, deriving every *derive_every* s and evaluating alert rules every
    *alert_every* s (0: not); with *background*, that work is done by one ``hallpost hub background`` process
    instead (port None), at the niceness its systemd unit gives it; [(process, port)]."""
    hubs, work = [], ["--derive-every", str(derive_every), "--alert-every", str(alert_every)]
    try:
        for _ in range(processes):
            port = free_port()
            hubs.append((serve_hub(port, "--database", database,
                                   *(["--derive-every", "0", "--alert-every", "0"] if background else work),
                                   log=os.path.join(logs, f"hub-{port}.log")), port))
        if background:
            with open(os.path.join(logs, "hub-background.log"), "wb") as log:
                hubs.append((subprocess.Popen(["nice", "-n", str(BACKGROUND_NICE), sys.executable, "-m", "protocol.cli",
                                               "hub", "background", "--database", database, *work, "--public-url",
                                               f"http://127.0.0.1:{hubs[0][1]}"],
                                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log), None))
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


def cpu_counters(hubs, server=None):
    """{name: CPU seconds used so far} of the hub processes and, when the bench runs it, of the PostgreSQL
    server (the postmaster *server* and every backend) (Linux /proc)."""
    counters = {"hub": sum(cpu_seconds(process.pid) for process, _ in hubs)}
    if server is not None:
        counters["postgresql"] = tree_cpu_seconds(server)
    return counters


def cpu_cores(before, after, seconds):
    """{NAME_cpu_cores: cores used} between two :func:`cpu_counters` *seconds* apart."""
    return {f"{name}_cpu_cores": round((after[name] - before[name]) / seconds, 2) for name in before}


def tree_cpu_seconds(pid):
    """CPU seconds of process *pid*, its children that ended, and its live children's trees (Linux /proc)."""
    try:
        fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
        children = open(f"/proc/{pid}/task/{pid}/children", encoding="ascii").read().split()
    except (FileNotFoundError, ProcessLookupError):      # it ended meanwhile: its parent counts it now
        return 0.0
    own = sum(int(field) for field in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return own + sum(tree_cpu_seconds(int(child)) for child in children)


def time_center_pages(port, store, month):
    """Median milliseconds of each of the center's pages over HTTP (all of a key's paths in turn), logged in as a
    center office user (hall NULL), and the first try of each (which may wait for the deriver); the halls the
    center wall lines up; then the store's monthly attendance query across every hall. Logging in is timed too:
    every admin request waits for the background deriver's catch-up to end (hub/admin/inspections.py)."""
    started = time.perf_counter()
    http = office_session(port, store, PAGE_TIMEOUT_S)
    if http is None:
        raise BenchRefused("the hub serves no admin login page")
    timings = {"center_login_first_ms": round((time.perf_counter() - started) * 1000, 1)}
    timings.update(_right_after_the_backlog(http, port, month))
    for key, paths in center_pages(store, month).items():
        times = []
        for _ in range(TIMING_REPEATS):
            started = time.perf_counter()
            for path in paths:
                _page(http, port, path)
            times.append((time.perf_counter() - started) * 1000)
        timings[key] = round(statistics.median(times), 1)
        timings[key.replace("_ms", "_first_ms")] = round(times[0], 1)
    timings["center_wall_halls"] = _page(http, port, "/admin/center").count('<tr id="hall-')
    http.close()
    year, number = map(int, month.split("-"))
    times = []
    for _ in range(TIMING_REPEATS):
        started = time.perf_counter()
        store.reports.month_attendance(year, number, hall=None)      # every hall
        times.append((time.perf_counter() - started) * 1000)
    timings["center_month_report_query_ms"] = round(statistics.median(times), 1)
    return timings


def _right_after_the_backlog(http, port, month):
    """The center's report page at once (it derives for its budget, then says how many window-days are still being
    re-judged) and how long its monthly export is refused (503) before it is whole, polled every second."""
    started = time.perf_counter()
    page = _page(http, port, f"/admin/center/reports?month={month}")
    found = {"center_report_page_first_ms": round((time.perf_counter() - started) * 1000, 1),
             "center_report_page_still_deriving": int(m.group(1)) if (m := STILL_DERIVING.search(page)) else 0}
    started, refused = time.perf_counter(), 0
    while (answer := http.get(f"http://127.0.0.1:{port}/admin/center/monthly.csv?month={month}",
                              timeout=PAGE_TIMEOUT_S)).status_code == 503 and time.perf_counter() - started < 600:
        refused += 1
        time.sleep(1)
    if answer.status_code != 200:
        raise BenchRefused(f"GET the center's monthly export: {answer.status_code} {answer.text[:200]}")
    found.update(center_month_report_whole_after_s=round(time.perf_counter() - started, 1),
                 center_month_report_refused=refused)
    return found


def _page(http, port, path):
    """GET the admin *path*: its text (BenchRefused unless 200)."""
    answer = http.get(f"http://127.0.0.1:{port}{path}", timeout=PAGE_TIMEOUT_S)
    if answer.status_code != 200:
        raise BenchRefused(f"GET {path}: {answer.status_code} {answer.text[:200]}")
    return answer.text


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
