"""``hallpost hub migrate --to postgresql://… --from hub.sqlite [--from …]``: moving up to PostgreSQL (or several
single-hall SQLite hubs into one SQLite center)."""
import time

from .cli_refusals import fail, private_database


def add_parsers(commands):
    """Register ``migrate`` under ``hallpost hub``."""
    migrate = commands.add_parser("migrate", help="copy SQLite hubs (each a hall) into an empty hub database, once")
    migrate.add_argument("--to", dest="db", required=True, metavar="URL",
                         help="the empty target: postgresql://… (created by `createdb`) or sqlite:///path (a new file); "
                              "its schema is made here")
    migrate.add_argument("--from", dest="sources", action="append", required=True, metavar="PATH",
                         help="a SQLite hub (read only, never changed); repeat for several single-hall hubs")
    migrate.add_argument("--hall-id", dest="hall_ids", action="append", metavar="ID",
                         help="the hall id of each --from in the target, in order (needed when two share one)")
    migrate.set_defaults(func=run_migrate)


@private_database
def run_migrate(args):
    """Copy the sources, check counts and digests, print them; refuse (exit 2) with nothing changed."""
    from .store import Store, StoreError
    from .store.database import shown
    from .store.transfer import TransferRefused, close_sources, migrate_hubs, plan_sources
    try:
        sources = plan_sources(args.sources, args.hall_ids)
    except TransferRefused as exc:
        return fail(f"migrate: {exc}")
    try:
        with Store.open(args.db) as store:
            started = time.monotonic()
            record = migrate_hubs(store, sources)
            seconds = time.monotonic() - started
    except TransferRefused as exc:
        return fail(f"migrate: {exc}")
    except StoreError as exc:
        return fail(f"migrate: {exc}; the target was left as it was")
    finally:
        close_sources(sources)
    rows = sum(t["rows"] for s in record["sources"] for t in s["tables"].values())
    for source in record["sources"]:
        halls = ", ".join(f"{old} as {new}" if old != new else new for old, new in source["halls"].items())
        print(f"{source['source']} -> {shown(args.db)}: halls {halls}")
        for name, table in source["tables"].items():
            print(f"  {name:<18} {table['rows']:>9} rows  sha256 {table['sha256']}")
        if source["skipped_users"]:
            print(f"  office users not copied (an earlier source has the name): {', '.join(source['skipped_users'])}")
    print(f"migrated {rows} rows in {seconds:.1f} s ({rows / max(seconds, 1e-9):.0f} rows/s); counts and digests "
          "equal; every window-day is marked for derivation (the hub's deriver does it when it runs)")
    return 0
