"""Run scripted days through a simulated hall and collect the three records (hub, journals, intent).

``run_days`` is what the end-to-end tests and ``scripts/hallsim --check`` call: it plays the scenario
(plus an optional chaos plan), lets every terminal finish syncing, stops the terminals, exports their
journals with ``hallpost terminal export``, and returns an :class:`Outcome` whose fields the caller
compares.
"""
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from .hall import Hall
from .record import days_of, derived, facts_exactly_once, hub_rows
from .scenario import Step, day_steps, intended_facts

log = logging.getLogger(__name__)
# A day is played until every terminal has reported (clock anchors come every 10 simulated minutes) past
# the moment sign-outs close (the afternoon's end + sign_in_opens_min): no row is still open at the hub.
DAY_BEGINS, DAY_ENDS = time(8, 0), time(18, 55)


@dataclass
class Outcome:
    """What a run produced: the records to compare and the counts to report."""

    hub: dict
    journals: dict
    intended: dict
    fact_counts: dict
    fact_problems: list
    counts: dict
    errors: list = field(default_factory=list)

    def summary(self):
        """One line of counts for the test output."""
        counts = dict(self.counts, **self.fact_counts)
        return " ".join(f"{k}={v}" for k, v in sorted(counts.items()))


def scenario(config, days, *, cut="auto", kill="auto", rotate=0):
    """The steps of *days*: each day's roles rotate by one window; one cut and one kill a day by default."""
    ids = [w.id for w in config.windows]
    steps = []
    for n, day in enumerate(days, rotate):
        roles = {wid: (i + n) % 8 for i, wid in enumerate(ids)}
        steps += day_steps(config, day, roles=roles,
                           cut=ids[(2 + n) % len(ids)] if cut == "auto" else cut,
                           kill=ids[(3 + n) % len(ids)] if kill == "auto" and len(ids) > 1 else None)
    return steps


def chaos_plan(config, steps, days, *, seed, begins=DAY_BEGINS, cuts_per_day=3, kills_per_day=2,
               hub_restarts_per_day=1):
    """Random cable cuts, terminal kills and hub restarts over *days*, placed where they cannot change intent.

    A kill lands at least ``KILL_CLEAR`` away from that window's own steps (a press or rating in the dark
    would be lost by design, not by a bug); cuts and hub restarts may land anywhere in the working day.
    """
    rng = random.Random(seed)
    tz = config.tz
    busy = {}
    for step in steps:
        busy.setdefault(step.window, []).append(step.at)
    plan = []
    for day in days:
        begin = datetime.combine(day, begins, tz)
        span = (datetime.combine(day, DAY_ENDS, tz) - begin).total_seconds() - 3600

        def moment():
            return begin + timedelta(seconds=rng.uniform(0, span))
        for _ in range(cuts_per_day):
            window = rng.choice(config.windows).id
            at = moment()
            plan += [Step(at, window, "cut"), Step(at + timedelta(minutes=rng.uniform(2, 40)), window, "restore")]
        for _ in range(kills_per_day):
            window = rng.choice(config.windows).id
            for _ in range(50):
                at = moment()
                if all(abs(at - other) > KILL_CLEAR for other in busy.get(window, [])):
                    plan += [Step(at, window, "kill"), Step(at + timedelta(minutes=1), window, "restart")]
                    busy.setdefault(window, []).append(at)
                    break
        for _ in range(hub_restarts_per_day):
            plan.append(Step(moment(), None, "hub_restart"))
    return plan


KILL_CLEAR = timedelta(minutes=25)


def nightly_exports(config, days):
    """An export of every journal each night but the last: a week fills journal segments, and the hub's
    acks let the terminal compact them away, so the union of the journals is taken before that."""
    return [Step(datetime.combine(day, time(23, 0), config.tz), window.id, "export")
            for day in days[:-1] for window in config.windows]


def run_days(workdir, *, days, windows=8, speed=600.0, chaos_seed=None, port=None, begins=DAY_BEGINS,
             database=None):
    """Play *days* (dates) in a fresh simulated hall from *begins* on the first, its hub on *database* (a URL;
    default: a SQLite file in *workdir*); the Outcome.

    Starting later than the day's first step (e.g. at 13:30 for a short run) drops the steps before it:
    the intent is what was played, so everyone is absent that morning in all three records.
    """
    start = datetime.combine(days[0], begins)
    with Hall(workdir, windows=windows, speed=speed, begin=start, port=port, database=database) as hall:
        config = hall.config
        steps = [s for s in scenario(config, days) if s.at >= hall.begin + timedelta(minutes=2)]
        extra = [] if chaos_seed is None else chaos_plan(config, steps, days, seed=chaos_seed, begins=begins)
        extra += nightly_exports(config, days)
        ok = hall.play(sorted(steps + extra, key=lambda s: s.at),
                       until=datetime.combine(days[-1], DAY_ENDS, config.tz))
        for sim in hall.windows.values():
            sim.cable.restore()
        hall.wait_synced()
        hall.stop_terminals()
        hall.export_journals()
        journal_facts = hall.exported_facts()
        with hall.hub.store() as store:
            fact_counts, fact_problems = facts_exactly_once(store, journal_facts)
            hub = hub_rows(store, days_of(config, journal_facts))
        journals = hall.derive()
        intended, _ = derived(config, intended_facts(config, steps))
        counts = dict(hall.counts, kills=sum(s.kills for s in hall.windows.values()),
                      cuts=sum(s.cable.cuts for s in hall.windows.values()),
                      hub_starts=hall.hub.starts, windows=len(hall.windows), completed=int(ok),
                      max_step_late_s=round(hall.lateness, 1))
        return Outcome(hub=hub, journals=journals, intended=intended, fact_counts=fact_counts,
                       fact_problems=fact_problems, counts=counts, errors=list(hall.errors))


