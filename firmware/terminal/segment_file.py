"""One journal segment on disk: a file of JSON lines that only grows, fsynced after every append.

A segment holds consecutive facts, one JSON object per line, the first of which has the seq in the file
name (``seg-000000000501.jsonl``). :class:`SegmentFile` is owned by the journal, which asks it for the
bytes held and repairs a torn tail through it; the TinyDB storage of :mod:`.segments` reads and appends
the facts through the same object. Every change on disk goes through this module's ``os`` calls.
"""
import json
import os
import re

from .errors import JournalCorrupt, JournalError

_NAME = re.compile(r"^seg-(\d{12})\.jsonl$")


def segment_name(first_seq):
    """The file name of the segment whose first fact has *first_seq*."""
    return f"seg-{first_seq:012d}.jsonl"


def segment_first_seq(name):
    """The first seq encoded in a segment file name, or None if *name* is not a segment."""
    match = _NAME.match(name)
    return int(match.group(1)) if match else None


def encode_fact(fact):
    """One fact as the bytes of its journal line (compact JSON, UTF-8, newline-terminated)."""
    return (json.dumps(fact, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n").encode("utf-8")


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def count_lines(path, chunk=1 << 20):
    """The number of complete lines in the file at *path*, read in chunks (closed segments only)."""
    lines = 0
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            lines += block.count(b"\n")
    return lines


class StoredFact(dict):
    """A fact as held by a segment: changing it in place is refused, since its line is already on disk."""

    def _refuse(self, *args, **kwargs):
        raise JournalError(f"seq {self.get('seq')}: the journal only appends; changing stored facts is not possible")

    __setitem__ = __delitem__ = __ior__ = update = pop = popitem = clear = setdefault = _refuse


class SegmentFile:
    """The lines of one segment: its whole facts by seq, the bytes they fill, and a torn tail after a power cut.

    ``facts()`` leaves out a torn last line (a power cut in the middle of an append), which
    :meth:`cut_torn_tail` removes from the file. With ``writable=False`` (closed segments) it only reads.
    """

    def __init__(self, path, *, writable=True, create=False):
        self.path = path
        self.writable = writable
        self._facts = None
        self._size = self._torn = 0
        self._broken = False
        self._fd = None
        if writable:
            flags = os.O_RDWR | os.O_APPEND | (os.O_CREAT | os.O_EXCL if create else 0)
            self._fd = os.open(path, flags, 0o644)

    def facts(self):
        """The whole facts in file order, keyed by ``str(seq)`` (TinyDB's document ids)."""
        self._load()
        return self._facts

    @property
    def size_bytes(self):
        """Bytes of whole lines in the segment (a torn tail not counted)."""
        self._load()
        return self._size

    @property
    def torn_bytes(self):
        """Bytes after the last whole line: an append a power cut interrupted."""
        self._load()
        return self._torn

    def append(self, facts):
        """Write *facts* as lines at the end of the file, then fsync; on failure leave the file as it was."""
        if not self.writable:
            raise JournalError(f"{self.path}: a closed segment is read-only")
        if self.torn_bytes or self._broken:
            raise JournalError(f"{self.path}: the end of the segment is damaged; reopen the journal")
        payload = b"".join(encode_fact(fact) for fact in facts)
        try:
            _write_all(self._fd, payload)
            os.fsync(self._fd)
        except OSError:
            self._undo()
            raise
        for fact in facts:
            self._facts[str(fact["seq"])] = StoredFact(fact)
        self._size += len(payload)

    def cut_torn_tail(self):
        """Truncate a torn last line and fsync; the caller records its seq as used first."""
        if self.torn_bytes:
            os.ftruncate(self._fd, self._size)
            os.fsync(self._fd)
            self._torn = 0

    def close(self):
        """Close the file (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _undo(self):
        try:
            os.ftruncate(self._fd, self._size)
        except OSError as exc:
            self._broken = True
            raise JournalError(f"{self.path}: a failed append could not be undone ({exc})") from exc

    def _load(self):
        if self._facts is not None:
            return
        with open(self.path, "rb") as handle:
            raw = handle.read()
        facts, good = {}, 0
        lines = raw.split(b"\n")
        for number, line in enumerate(lines, start=1):
            fact = _decode(line) if number < len(lines) else None
            if fact is None:
                if number < len(lines) - 1 and any(lines[number:]):
                    raise JournalCorrupt(f"{self.path}: line {number} is not a JSON object and is not the last")
                break
            facts[str(fact.get("seq"))] = StoredFact(fact)
            good += len(line) + 1
        self._facts, self._size, self._torn = facts, good, len(raw) - good


def _decode(line):
    try:
        fact = json.loads(line)
    except ValueError:
        return None
    return fact if isinstance(fact, dict) else None
