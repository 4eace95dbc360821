"""How every ``hallpost hub`` command refuses: one line on stderr and exit 2, an exposed database with its fix."""
import functools
import sys


def fail(message):
    """Print *message* as ``hallpost hub: …`` on stderr; the exit status of a refused command (2)."""
    print(f"hallpost hub: {message}", file=sys.stderr)
    return 2


def private_database(command):
    """Run *command*, failing with the fix (chmod 600) when the database is open to other users."""
    @functools.wraps(command)
    def run(args):
        from .store import DatabaseExposed
        try:
            return command(args)
        except DatabaseExposed as exc:
            return fail(str(exc))
    return run
