"""``python -m firmware.sim`` (``scripts/hallsim``): play scripted days in a simulated hall and check the record.

Prints the counts (steps, cuts, kills, facts) and whether the hub's record equals ``hallpost derive`` over
the terminals' journals and the scenario's intended verdicts; exits 1 if any of them disagree.
"""
import argparse
import logging
import sys
import tempfile
from datetime import date, time, timedelta

from .record import differences, verdicts
from .run import DAY_BEGINS, run_days


def main(argv=None):
    """Run and check; the exit code."""
    parser = argparse.ArgumentParser(prog="hallsim", description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=8)
    parser.add_argument("--speed", type=float, default=600.0, help="simulated seconds per real second")
    parser.add_argument("--days", type=int, default=1, help="working days from --first")
    parser.add_argument("--first", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--begins", type=time.fromisoformat, default=DAY_BEGINS, help="start time on the first day")
    parser.add_argument("--chaos-seed", type=int, help="add random cuts, kills and hub restarts")
    parser.add_argument("--workdir", help="keep everything here (default: a temp dir)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    days = [args.first + timedelta(days=n) for n in range(args.days)]
    workdir = args.workdir or tempfile.mkdtemp(prefix="hallsim-")
    print(f"hallsim: {args.windows} windows, {args.days} day(s) from {args.first}, ×{args.speed:g}, in {workdir}")
    outcome = run_days(workdir, days=days, windows=args.windows, speed=args.speed, chaos_seed=args.chaos_seed,
                       begins=args.begins)
    print(outcome.summary())
    problems = [f"step {step}: {error}" for step, error in outcome.errors] + outcome.fact_problems
    problems += [f"hub vs journals: {d}" for d in differences(outcome.hub, outcome.journals)]
    hub, intended = verdicts(outcome.hub), verdicts(outcome.intended)
    problems += [f"hub vs intent: {table}" for table in intended if hub[table] != intended[table]]
    for table in outcome.hub:
        print(f"  {table:10} {len(outcome.hub[table]):4} rows at the hub")
    for problem in problems:
        print(f"DISAGREE {problem}")
    print("the hub, the journals and the scenario agree" if not problems else f"{len(problems)} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
