"""Migration benchmark: a SQLite hub of a year of 40 windows moved up into PostgreSQL (``hallpost hub migrate``).

Builds the source hub in-process (bench/hub.py's seeded year: its hall, its facts, pushed through the store's
ingest in batches of 500, as the API would), then copies it with ``hub.store.transfer`` into an empty PostgreSQL
database (``--to URL``, else a throwaway cluster of Debian's PostgreSQL, as the tests start one) and reports the
copy's rate: every row written and read back for its digest, in one transaction.
Usage: python bench/migrate.py [--days 365] [--windows 40] [--seed 7] [--to postgresql://…]
Last line: {"facts": N, "rows": N, "migrate_s": .., "rows_per_s": .., "source_mb": ..}
"""
import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import datetime, time as clock_time, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from hub.store import Store  # noqa: E402
from hub.store.transfer import close_sources, migrate_hubs, plan_sources  # noqa: E402
from protocol.wire import encode_batch, parse_batch  # noqa: E402


def bench_hub():
    """bench/hub.py as a module (its name would shadow the hub package)."""
    spec = importlib.util.spec_from_file_location("bench_hub", os.path.join(ROOT, "bench", "hub.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_source(path, windows, days, seed):
    """The seeded year at *path*: the hall, its terminals enrolled, every fact ingested; the number of facts."""
    year = bench_hub()
    journals = year.year_of_facts(windows, days, seed)
    after = datetime.combine(year.FIRST_DAY + timedelta(days=days + 1), clock_time(), timezone.utc)
    with Store.open(path, clock=lambda: after) as store:
        store.configs.save(year.hall_document(windows), "bench")
        for i in range(1, windows + 1):
            store.terminals.enrol(store.terminals.new_enrolment_code(f"w{i:02d}", "bench"))
        for terminal, facts in journals.items():
            for start in range(0, len(facts), 500):
                batch = encode_batch(terminal, "be0c0001", facts[start:start + 500], None)
                store.facts.ingest(parse_batch(batch, terminal))
    return sum(len(facts) for facts in journals.values())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--to", help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hallpost-migrate-") as workdir:
        source = os.path.join(workdir, "hub.sqlite")
        started = time.perf_counter()
        facts = build_source(source, args.windows, args.days, args.seed)
        print(f"source: {facts} facts in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        cluster = nullcontext(None)
        if args.to is None:
            from tests.postgres import postgres_cluster
            cluster = postgres_cluster(durable=True)
        with cluster as running:
            with Store.open(args.to or running.url) as store:
                sources = plan_sources([source])
                started = time.perf_counter()
                record = migrate_hubs(store, sources, "bench")
                seconds = time.perf_counter() - started
                close_sources(sources)
        rows = sum(t["rows"] for t in record["sources"][0]["tables"].values())
        print(json.dumps({"facts": facts, "rows": rows, "migrate_s": round(seconds, 1),
                          "rows_per_s": round(rows / seconds), "source_mb": round(os.path.getsize(source) / 2**20, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
