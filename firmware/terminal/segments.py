"""Journal segments: TinyDB files of JSON lines that only ever grow, fsynced line by line.

A segment holds consecutive facts, one JSON object per line, the first of which has the seq in the file
name (``seg-000000000501.jsonl``). :class:`SegmentStorage` is the TinyDB ``Storage`` behind every
segment: ``write()`` appends only the documents TinyDB added since the last write and fsyncs before
returning; ``read()`` rebuilds the table from the lines, leaving out a torn last line (a power cut in the
middle of a write), which :meth:`SegmentStorage.cut_torn_tail` then removes from the file.
"""
import json
import os
import re

from tinydb import TinyDB
from tinydb.storages import Storage

from .errors import JournalCorrupt, JournalError

TABLE = "_default"
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


def fsync_directory(path):
    """Make the directory entries of *path* (created, renamed or removed files) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file_atomically(path, data):
    """Replace *path* with *data*: temp file, fsync, ``os.replace``, fsync of the directory."""
    temp = path + ".tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    fsync_directory(os.path.dirname(path) or ".")


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


class SegmentStorage(Storage):
    """TinyDB storage for one segment: append-only JSON lines keyed by the fact's seq.

    Documents must be inserted with ``Document(fact, doc_id=fact["seq"])``; the storage refuses any write
    that removes or renumbers a stored document. With ``writable=False`` (closed segments) it only reads.
    """

    def __init__(self, path, *, writable=True, create=False):
        self.path = path
        self.writable = writable
        self.torn_bytes = 0
        self.broken = False
        self._docs = None
        self._size = 0
        self._fd = None
        if writable:
            flags = os.O_RDWR | os.O_APPEND | (os.O_CREAT | os.O_EXCL if create else 0)
            self._fd = os.open(path, flags, 0o644)

    @property
    def size_bytes(self):
        """Bytes of whole lines in the segment (a torn tail not counted)."""
        self._load()
        return self._size

    @property
    def count(self):
        """The number of whole facts in the segment."""
        self._load()
        return len(self._docs)

    def read(self):
        """The table as TinyDB expects it: ``{"_default": {"<seq>": fact, ...}}``."""
        self._load()
        return {TABLE: self._docs}

    def write(self, data):
        """Append the documents TinyDB added since the last write, then fsync; refuse anything else."""
        if not self.writable:
            raise JournalError(f"{self.path}: a closed segment is read-only")
        if self.torn_bytes or self.broken:
            raise JournalError(f"{self.path}: the end of the segment is damaged; reopen the journal")
        table = data.get(TABLE, {})
        keys, stored = list(table), list(self._docs)
        if keys[:len(stored)] != stored:
            raise JournalError(f"{self.path}: the journal only appends; changing stored facts is not possible")
        new = keys[len(stored):]
        if not new:
            return
        payload = b"".join(encode_fact(table[key]) for key in new)
        try:
            _write_all(self._fd, payload)
            os.fsync(self._fd)
        except OSError:
            self._undo()
            raise
        for key in new:
            table[key] = StoredFact(table[key])
        self._docs = table
        self._size += len(payload)

    def cut_torn_tail(self):
        """Truncate a torn last line found by ``read()`` and fsync; the caller records its seq as used first."""
        if self.torn_bytes:
            os.ftruncate(self._fd, self._size)
            os.fsync(self._fd)
            self.torn_bytes = 0

    def close(self):
        """Close the file (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _undo(self):
        try:
            os.ftruncate(self._fd, self._size)
        except OSError as exc:
            self.broken = True
            raise JournalError(f"{self.path}: a failed append could not be undone ({exc})") from exc

    def _load(self):
        if self._docs is not None:
            return
        with open(self.path, "rb") as handle:
            raw = handle.read()
        docs, good = {}, 0
        lines = raw.split(b"\n")
        for number, line in enumerate(lines, start=1):
            fact = _decode(line) if number < len(lines) else None
            if fact is None:
                if number < len(lines) - 1 and any(lines[number:]):
                    raise JournalCorrupt(f"{self.path}: line {number} is not a JSON object and is not the last")
                break
            docs[str(fact.get("seq"))] = StoredFact(fact)
            good += len(line) + 1
        self._docs, self._size, self.torn_bytes = docs, good, len(raw) - good


def _decode(line):
    try:
        fact = json.loads(line)
    except ValueError:
        return None
    return fact if isinstance(fact, dict) else None


def open_segment(path, *, writable=True, create=False):
    """A TinyDB database on the segment at *path*."""
    return TinyDB(path, storage=SegmentStorage, writable=writable, create=create)
