"""How every ``hallpost hub`` command names its database and refuses: one line on stderr and exit 2, an exposed
database with its fix."""
import functools
import sys


def add_database_argument(parser, help="the hub's database"):
    """``--database URL`` (sqlite:///path or postgresql://…) or ``--db PATH`` (a SQLite file): one is required."""
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--database", dest="db", metavar="URL", help=f"{help}: sqlite:///path or postgresql://…")
    group.add_argument("--db", dest="db", metavar="PATH", help=f"{help}: a SQLite file")


def fail(message):
    """Print *message* as ``hallpost hub: …`` on stderr; the exit status of a refused command (2)."""
    print(f"hallpost hub: {message}", file=sys.stderr)
    return 2


def private_database(command):
    """Run *command* on ``args.db``, failing with the fix (chmod 600) when a SQLite database is open to other users:
    checked before the command asks for anything (a password), and again whenever it opens the database. A
    PostgreSQL database's access is the server's to grant; an unknown URL scheme is refused."""
    @functools.wraps(command)
    def run(args):
        from .store import DatabaseExposed
        from .store.connection import refuse_exposed
        from .store.database import dialect_of, sqlite_path
        try:
            if dialect_of(args.db) == "sqlite":
                refuse_exposed(sqlite_path(args.db))
            return command(args)
        except (DatabaseExposed, ValueError) as exc:
            return fail(str(exc))
    return run
