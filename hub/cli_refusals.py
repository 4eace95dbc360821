"""How every ``hallpost hub`` command refuses: one line on stderr and exit 2, an exposed database with its fix."""
import functools
import sys


def fail(message):
    """Print *message* as ``hallpost hub: …`` on stderr; the exit status of a refused command (2)."""
    print(f"hallpost hub: {message}", file=sys.stderr)
    return 2


def private_database(command):
    """Run *command* on ``args.db``, failing with the fix (chmod 600) when the database is open to other users:
    checked before the command asks for anything (a password), and again whenever it opens the database."""
    @functools.wraps(command)
    def run(args):
        from .store import DatabaseExposed
        from .store.connection import refuse_exposed
        try:
            refuse_exposed(args.db)
            return command(args)
        except DatabaseExposed as exc:
            return fail(str(exc))
    return run
