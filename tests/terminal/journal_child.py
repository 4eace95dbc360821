"""Test helper process: append facts to a journal forever, printing each seq once append() has returned.

Usage: python journal_child.py DIRECTORY RUN FACTS_PER_SEGMENT. Prints "ready" after opening the journal;
the parent kills it with SIGKILL. Each fact carries ``boot = "run-<RUN>"`` and ``mono_ms`` = its count in
this run, so the parent can tell which append of which run a stored fact came from.
"""
import os
import sys

from firmware.terminal.journal import Journal

TERMINAL = "win-kill"


def main(directory, run, facts_per_segment):
    """Append until killed."""
    journal_class = type("ChildJournal", (Journal,), {"facts_per_segment": facts_per_segment})
    with journal_class(directory, terminal=TERMINAL) as journal:
        os.write(1, b"ready\n")
        count = 0
        while True:
            fact = journal.append({"boot": f"run-{run}", "mono_ms": count, "wall": "2026-03-02T09:00:00+08:00",
                                   "kind": "done", "post": "AB"[count % 2]})
            os.write(1, b"%d\n" % fact["seq"])
            count += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
