"""The ``hallpost`` command: ``derive`` here; other command groups register themselves as entry points.

A package adds a group under the entry-point group ``hallpost.commands`` (pyproject.toml), naming a function
``add_parser(subparsers)``, the way Flask finds ``flask.commands``. This module is protocol's one edge that
reads files; the engine it drives stays pure.
"""
import argparse
import sys
from importlib.metadata import entry_points

from .config import load_config
from .errors import ProtocolError
from .facts import parse_fact_line
from .report import dumps
from .rules import derive

COMMAND_GROUP = "hallpost.commands"


def read_facts(path):
    """Parse a facts JSON Lines file; a bad line raises ProtocolError naming its line number."""
    facts = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                facts.append(parse_fact_line(line))
            except ProtocolError as exc:
                raise ProtocolError(f"{path}:{number}: {exc}") from None
    return facts


def run_derive(args):
    """``hallpost derive``: replay facts through the rules and print the report."""
    try:
        with open(args.config, encoding="utf-8") as toml:
            config = load_config(toml.read())
        facts = [fact for path in args.facts for fact in read_facts(path)]
        report = derive(config, facts)
    except (OSError, ProtocolError) as exc:
        print(f"hallpost derive: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(dumps(report))
    return 0


def build_parser():
    """The argument parser with every available subcommand group."""
    parser = argparse.ArgumentParser(prog="hallpost", description="HallPost window terminals and hub")
    commands = parser.add_subparsers(dest="command", required=True)
    derive_cmd = commands.add_parser("derive", help="replay facts through the hall's rules, print JSON")
    derive_cmd.add_argument("--config", required=True, help="hall.toml")
    derive_cmd.add_argument("facts", nargs="+", help="facts as JSON Lines")
    derive_cmd.set_defaults(func=run_derive)
    for group in entry_points(group=COMMAND_GROUP):
        try:
            add_parser = group.load()
        except ModuleNotFoundError as exc:
            if exc.name and group.module.startswith(exc.name):
                continue        # that part of HallPost is not installed here
            raise
        add_parser(commands)
    return parser


def main(argv=None):
    """Entry point of the ``hallpost`` console script."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
