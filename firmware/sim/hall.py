"""The simulated hall (模拟大厅): a real hub process and N real terminal processes on one simulated timeline.

``Hall(workdir, windows=8, speed=60, begin=...)`` writes the hall config, initialises and starts the hub,
enrols and starts every terminal (each with its keypad and its cuttable cable), and waits until all are
ready (*begin* is simulated local time; the processes start ``startup_real_s`` real seconds before it).
``play(steps)`` then carries out a scenario (:mod:`firmware.sim.scenario`) in simulated time, one
thread per window so a slow rating at one window never delays another. ``close()`` stops every child.
"""
import json
import logging
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from protocol.config import config_from_dict
from protocol.facts import parse_fact_line

from .hallfile import sim_hall, to_toml
from .processes import ChildFailed, Hub, run_hallpost
from .record import TABLES
from .scenario import CITIZEN, CLERK
from .timeline import Timeline
from .window import SimWindow

log = logging.getLogger(__name__)
STARTUP_REAL_S = 15.0      # real seconds allowed for the processes to start before *begin* (a loaded 2-core
                           # machine took over 10 s; within the day: see Hall.__init__)
SYNC_TIMEOUT_S = 60.0
PEOPLE = CLERK + CITIZEN


class Hall:
    """A hub and its window terminals on one simulated timeline; a context manager."""

    def __init__(self, workdir, *, windows=8, speed=60.0, begin, port=None, startup_real_s=STARTUP_REAL_S,
                 source=None, database=None):
        self.workdir = Path(workdir)
        (self.workdir / "logs").mkdir(parents=True, exist_ok=True)
        (self.workdir / "exports").mkdir(exist_ok=True)
        document = sim_hall(windows, speed=speed, **({"source": source} if source else {}))
        self.hall_toml = self.workdir / "hall.toml"
        self.hall_toml.write_text(to_toml(document), encoding="utf-8")
        self.config = config_from_dict(document)
        self.begin = begin if begin.tzinfo else begin.replace(tzinfo=self.config.tz)
        since_midnight = self.begin - self.begin.replace(hour=0, minute=0, second=0, microsecond=0)
        allowance = min(timedelta(seconds=startup_real_s * speed), since_midnight * 0.9)  # never the day before
        self.timeline = Timeline(self.begin - allowance, speed=speed)
        self.hub = Hub(self.workdir, hall_toml=self.hall_toml, timeline=self.timeline, port=port, database=database)
        self.windows = {}
        self.counts = Counter()
        self.errors = []
        self.lateness = 0.0             # the most simulated seconds a clerk's or citizen's step started late
        self._exports = 0
        self._lock = threading.Lock()

    # --- life cycle -----------------------------------------------------------------------------------
    def start(self):
        """Start the hub and every terminal; wait until all are ready (before *begin* if possible)."""
        self.hub.init().start().wait_ready()
        for window in self.config.windows:
            self.windows[window.id] = SimWindow(self.workdir, window, hub=self.hub, timeline=self.timeline,
                                                   hall_toml=self.hall_toml)
        for sim in self.windows.values():
            sim.enrol(self.hub)
            sim.start()
        for sim in self.windows.values():
            sim.wait_ready()
        late = self.timeline.now() - self.begin
        if late > timedelta(0):
            log.warning("the hall was ready %s (simulated) after the scenario's beginning", late)
        return self

    def close(self):
        """Stop every terminal, keypad, cable and the hub; safe to call twice."""
        for sim in self.windows.values():
            sim.close()
        self.hub.stop()

    def __enter__(self):
        try:
            return self.start()
        except BaseException:       # a process that never got ready: stop the ones already started
            self.close()
            raise

    def __exit__(self, *exc_info):
        self.close()

    # --- the scenario ---------------------------------------------------------------------------------
    def play(self, steps, *, until=None, stop=None):
        """Carry out *steps* in simulated time, then wait until simulated *until*; errors end up in ``errors``."""
        stop = stop or threading.Event()
        lanes = {}
        for step in steps:
            lanes.setdefault(step.window, []).append(step)
        threads = [threading.Thread(target=self._lane, args=(lane, stop), name=f"lane-{key}", daemon=True)
                   for key, lane in lanes.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive() and not stop.is_set():
                thread.join(0.5)
        if until is not None:
            self.timeline.wait_until(until, stop)
        return not stop.is_set()

    def _lane(self, steps, stop):
        for step in steps:
            if not self.timeline.wait_until(step.at, stop):
                return
            if step.action in PEOPLE:
                self.lateness = max(self.lateness, (self.timeline.now() - step.at).total_seconds())
            try:
                self.do(step)
            except (OSError, ValueError, RuntimeError) as exc:
                log.error("step %s failed: %s", step, exc)
                self.errors.append((step, str(exc)))

    def do(self, step):
        """Carry out one step now."""
        self.counts[step.action] += 1
        if step.action == "hub_restart":
            self.hub.stop()
            self.hub.start().wait_ready()
            return
        sim = self.windows[step.window]
        if step.action == "press":
            sim.press(step.arg)
        elif step.action == "rate":
            if sim.rate(step.arg) is None:
                self.counts["rate_without_prompt"] += 1
        elif step.action == "stray":
            sim.stray(step.arg)
        elif step.action == "cut":
            sim.cable.cut()
        elif step.action == "restore":
            sim.cable.restore()
        elif step.action == "kill":
            sim.kill()
            self._export(sim)           # while it is down: before compaction may drop what the hub acked
        elif step.action == "restart":
            sim.restart()
        elif step.action == "export":          # nightly: stop, export the journal, start again
            sim.child.stop()
            self._export(sim)
            sim.restart()
        else:
            raise ValueError(f"step: unknown action {step.action!r}")

    # --- the record -----------------------------------------------------------------------------------
    def wait_synced(self, timeout=SYNC_TIMEOUT_S):
        """Wait until the hub holds every fact each terminal had journaled when this was called."""
        wanted = {sim.terminal: sim.command({"lamps": True})["seq"] for sim in self.windows.values()}
        deadline = time.monotonic() + timeout
        while True:
            with self.hub.store() as store:
                acked = {terminal["id"]: terminal["acked_seq"] for terminal in store.terminals.all()}
            behind = {t: (acked.get(t, 0), seq) for t, seq in wanted.items() if acked.get(t, 0) < seq}
            if not behind:
                return acked
            if time.monotonic() > deadline:
                raise ChildFailed(f"terminals not synced within {timeout} s (hub acked, journal seq): {behind}")
            time.sleep(0.1)

    def stop_terminals(self):
        """Stop every terminal process (SIGTERM): nothing changes in the journals or the hub after this."""
        for sim in self.windows.values():
            sim.child.stop()

    def export_journals(self):
        """Export every (stopped) terminal's journal (``hallpost terminal export``); the paths written."""
        return [self._export(sim) for sim in self.windows.values()]

    def _export(self, sim):
        with self._lock:
            self._exports += 1
            number = self._exports
        return sim.export(self.workdir / "exports" / f"{sim.terminal}-{number:04d}.jsonl")

    def exported_facts(self):
        """Every fact of every export so far, as Fact objects (duplicates across exports removed)."""
        seen = {}
        for path in sorted((self.workdir / "exports").glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    fact = parse_fact_line(line)
                    seen[(fact.terminal, fact.seq)] = fact
        return list(seen.values())

    def derive(self):
        """``hallpost derive`` over every journal export so far: the compared tables of its report."""
        paths = sorted(map(str, (self.workdir / "exports").glob("*.jsonl")))
        report = json.loads(run_hallpost(["derive", "--config", str(self.hall_toml), *paths],
                                         log_path=self.workdir / "logs" / "derive.log"))
        return {table: report[table] for table in TABLES}

    def login(self):
        """The admin URL and the demo login (user, password)."""
        return f"{self.hub.url}/admin/login", self.hub.user, self.hub.password
