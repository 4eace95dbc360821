"""Test helper process for the journal's crash tests.

``journal_child.py append DIRECTORY RUN FACTS_PER_SEGMENT``: append facts forever, printing "ready" after
opening the journal and then each seq once append() has returned; the parent kills it with SIGKILL. Each
fact carries ``boot = "run-<RUN>"`` and ``mono_ms`` = its count in this run, so the parent can tell which
append of which run a stored fact came from.

``journal_child.py fill DIRECTORY LIMIT``: append with files limited to LIMIT bytes (RLIMIT_FSIZE, the
kernel's "file too large" standing in for a full disk) until the journal refuses; print the last stored
seq and the error.
"""
import os
import resource
import signal
import sys
import time

from firmware.terminal.errors import JournalFull, JournalLocked
from firmware.terminal.journal import Journal

TERMINAL = "win-kill"


def fact_fields(run, count):
    """The fields of the *count*-th done fact of run *run*."""
    return {"boot": f"run-{run}", "mono_ms": count, "wall": "2026-03-02T09:00:00+08:00", "kind": "done",
            "post": "AB"[count % 2]}


def opened(journal_class, directory):
    """The journal, waiting up to 5 s for its lock: the test's other killer thread may fork while the parent
    holds the lock, and that fork keeps a copy of the flocked descriptor until it executes its child."""
    deadline = time.monotonic() + 5
    while True:
        try:
            return journal_class(directory, terminal=TERMINAL)
        except JournalLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def append(directory, run, facts_per_segment):
    """Append until killed."""
    journal_class = type("ChildJournal", (Journal,), {"facts_per_segment": int(facts_per_segment)})
    with opened(journal_class, directory) as journal:
        os.write(1, b"ready\n")
        count = 0
        while True:
            fact = journal.append(fact_fields(run, count))
            os.write(1, b"%d\n" % fact["seq"])
            count += 1


def fill(directory, limit):
    """Append until the journal is full."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    with Journal(directory, terminal=TERMINAL) as journal:
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
        try:
            while True:
                journal.append(fact_fields("fill", 0))
        except JournalFull as exc:
            print(journal.next_seq - 1, exc)


if __name__ == "__main__":
    {"append": append, "fill": fill}[sys.argv[1]](*sys.argv[2:])
