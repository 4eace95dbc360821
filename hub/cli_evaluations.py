"""``hallpost hub export-evaluations``: a month's evaluations for the provincial 好差评 platform, as JSON Lines or
CSV (:mod:`hub.provincial`), to a file or standard output; the same month gives the same bytes."""
import re
import sys
from datetime import date, timedelta

from .cli_refusals import add_database_argument, fail, private_database

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def add_parsers(commands):
    """Register ``export-evaluations`` under ``hallpost hub``."""
    export = commands.add_parser("export-evaluations", help="a month's evaluations for the provincial platform")
    add_database_argument(export)
    export.add_argument("--month", required=True, metavar="YYYY-MM", help="the month the services were done in")
    export.add_argument("--hall", help="the hall's id (default: the hub's first hall)")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="JSON Lines (default) or CSV")
    export.add_argument("--out", metavar="PATH", help="write here (default: standard output)")
    export.set_defaults(func=run_export)


def month_days(value):
    """(first, last) day of the month *value* (YYYY-MM); ValueError naming it otherwise."""
    match = MONTH.match(value)
    if not match:
        raise ValueError(f"--month: {value!r} is not a month YYYY-MM")
    first = date(int(match[1]), int(match[2]), 1)
    return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@private_database
def run_export(args):
    """Write the month's evaluations; exit 2 with the reason for a bad month or an unknown hall."""
    from .provincial import csv_bytes, evaluations, jsonl
    from .store import Store
    try:
        first, last = month_days(args.month)
    except ValueError as exc:
        return fail(str(exc))
    with Store.open(args.db) as store:
        try:
            hall = store.configs.resolve(args.hall)
        except LookupError as exc:
            return fail(str(exc))
        records = evaluations(store, hall, first, last)
    data = (jsonl if args.format == "jsonl" else csv_bytes)(records)
    if args.out:
        with open(args.out, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    print(f"{len(records)} evaluations of {hall} in {args.month}", file=sys.stderr)
    return 0
