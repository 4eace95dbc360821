"""Record a program's changes on disk and build the states a power cut could leave (ALICE/CrashMonkey style).

:class:`RecordingOS` stands in for the ``os`` module of the modules under test: it does every call for
real and appends what it changed to :class:`Trace` — directory entries (``mkdir``, ``create``, ``rename``,
``unlink``), file data (``write`` with offset and bytes, ``truncate``) and barriers (``fsync`` of a file or
of a directory) — plus the markers the test adds around the calls it makes (``call`` / ``return``).

:func:`crash_states` then walks every crash point of the trace. A change is durable at a crash point once
a barrier covering it has returned before that point (``fsync`` of its file for data, ``fsync`` of its
directory for entries); every other change issued so far is in flight and may or may not have reached the
disk, in any order. For each crash point it yields the durable changes plus: every subset of the changes
in flight (all of them up to :data:`EXHAUSTIVE` in flight, a seeded sample beyond), every byte prefix of
every write in flight (the changes before it in flight persisted, or none of them), and each write cut
in three with its later pieces persisted without the earlier ones (a hole of zeros, as when a file's size
reached the disk before its data). :func:`image` applies such a list of changes to an empty disk. A trace
may start from a disk left by a crash (``Trace(root, initial=disk_of(root))``), to crash the recovery too.
"""
import itertools
import os
import random

EXHAUSTIVE = 8          # up to this many changes in flight, every subset of them; beyond, a sample
SAMPLED_SUBSETS = 256

DATA_OPS = ("write", "truncate")
ENTRY_OPS = ("mkdir", "create", "rename", "unlink")
DIRECTORY = "<dir>"


class Trace:
    """The changes on disk under *root*, in the order they were issued, as tuples (see the module doc)."""

    def __init__(self, root, initial=None):
        self.root = os.path.abspath(root)
        self.ops = []
        self._fds = {}          # fd -> (inode, opened with O_APPEND) or (DIRECTORY, path)
        self._names = {}        # path -> inode, as the disk holds them now
        self._inodes = itertools.count(1)
        self._start_from(initial or {})

    def _start_from(self, disk):
        """Begin with the durable changes that build *disk* (as :func:`disk_of` reads it) from nothing."""
        for name in sorted(disk, key=lambda name: name.count(os.sep)):
            if disk[name] == DIRECTORY:
                self.ops.append(("mkdir", _parent(name), name))
            else:
                self._names[name] = next(self._inodes)
                self.ops += [("create", _parent(name), name, self._names[name]),
                             ("write", self._names[name], 0, disk[name]), ("fsync", self._names[name])]
        self.ops += [("fsync_dir", directory) for directory in {_parent(name) for name in disk}]

    def mark(self, *marker):
        """Note a marker (``("call", ...)`` / ``("return", ...)``) at this point of the trace."""
        self.ops.append(marker)

    def relative(self, path):
        """*path* relative to the root of the trace."""
        return os.path.relpath(os.path.abspath(path), self.root)

    def opened(self, fd, path, flags, existed):
        """Note an ``os.open``: a file created or truncated by it, and what the fd refers to."""
        name = self.relative(path)
        if flags & os.O_DIRECTORY:
            self._fds[fd] = (DIRECTORY, name)
            return
        if not existed:
            self._names[name] = next(self._inodes)
            self.ops.append(("create", _parent(name), name, self._names[name]))
        if flags & os.O_TRUNC:
            self.ops.append(("truncate", self._names[name], 0))
        self._fds[fd] = (self._names[name], bool(flags & os.O_APPEND))

    def appends(self, fd):
        """True if *fd* was opened with ``O_APPEND`` (its writes land at the end of the file)."""
        return self._fds[fd][1]

    def wrote(self, fd, offset, data):
        """Note *data* written to the file of *fd* at *offset*."""
        self.ops.append(("write", self._fds[fd][0], offset, data))

    def truncated(self, fd, size):
        """Note the file of *fd* cut (or grown) to *size* bytes."""
        self.ops.append(("truncate", self._fds[fd][0], size))

    def synced(self, fd):
        """Note an fsync of the file or directory of *fd*."""
        target, detail = self._fds[fd]
        self.ops.append(("fsync_dir", detail) if target == DIRECTORY else ("fsync", target))

    def renamed(self, src, dst):
        """Note *src* renamed over *dst*."""
        src, dst = self.relative(src), self.relative(dst)
        self._names[dst] = self._names.pop(src)
        self.ops.append(("rename", _parent(dst), src, dst, self._names[dst]))

    def unlinked(self, path):
        """Note *path* removed."""
        name = self.relative(path)
        self._names.pop(name, None)
        self.ops.append(("unlink", _parent(name), name))

    def made_directory(self, path):
        """Note the directory *path* created."""
        name = self.relative(path)
        self.ops.append(("mkdir", _parent(name), name))

    def closed(self, fd):
        """Forget *fd*."""
        self._fds.pop(fd, None)


class RecordingOS:
    """The ``os`` module, recording into *trace* every change it makes on disk."""

    def __init__(self, trace):
        self._trace = trace

    def __getattr__(self, name):
        return getattr(os, name)

    def open(self, path, flags, mode=0o777):
        existed = os.path.exists(path)
        fd = os.open(path, flags, mode)
        self._trace.opened(fd, path, flags, existed)
        return fd

    def write(self, fd, data):
        written = os.write(fd, data)
        end = os.fstat(fd).st_size if self._trace.appends(fd) else os.lseek(fd, 0, os.SEEK_CUR)
        self._trace.wrote(fd, end - written, bytes(data[:written]))
        return written

    def fsync(self, fd):
        os.fsync(fd)
        self._trace.synced(fd)

    def ftruncate(self, fd, size):
        os.ftruncate(fd, size)
        self._trace.truncated(fd, size)

    def replace(self, src, dst):
        os.replace(src, dst)
        self._trace.renamed(src, dst)

    def unlink(self, path):
        os.unlink(path)
        self._trace.unlinked(path)

    def makedirs(self, path, mode=0o777, exist_ok=False):
        missing, parent = [], path
        while not os.path.isdir(parent):
            missing.append(parent)
            parent = os.path.dirname(parent)
        os.makedirs(path, mode, exist_ok)
        for directory in reversed(missing):
            self._trace.made_directory(directory)

    def close(self, fd):
        os.close(fd)
        self._trace.closed(fd)


class UnsyncedOS:
    """The ``os`` module with ``fsync`` a no-op: for opening crash states, whose durability does not matter."""

    def __getattr__(self, name):
        return getattr(os, name)

    def fsync(self, fd):
        os.fstat(fd)  # still refuses a closed fd, as fsync would


def _barriers(ops):
    """For each op, the index of the first later barrier that makes it durable (len(ops) if none)."""
    covering = [len(ops)] * len(ops)
    waiting = {}
    for index, op in enumerate(ops):
        kind = op[0]
        if kind in DATA_OPS:
            waiting.setdefault(("file", op[1]), []).append(index)
        elif kind in ENTRY_OPS:
            waiting.setdefault(("dir", op[1]), []).append(index)
        elif kind in ("fsync", "fsync_dir"):
            for covered in waiting.pop(("file" if kind == "fsync" else "dir", op[1]), []):
                covering[covered] = index
    return covering


def crash_states(ops, start=0, seed=0):
    """Yield ``(crash_point, changes)`` for every crash point of *ops* from *start* and every state it may leave."""
    rng = random.Random(seed)
    covering = _barriers(ops)
    changes = [index for index, op in enumerate(ops) if op[0] in DATA_OPS + ENTRY_OPS]
    for point in range(start, len(ops) + 1):
        issued = [index for index in changes if index < point]
        durable = [index for index in issued if covering[index] < point]
        in_flight = [index for index in issued if covering[index] >= point]
        for chosen in _subsets(in_flight, rng):
            yield point, [ops[index] for index in sorted(durable + list(chosen))]
        for position, index in enumerate(in_flight):
            if ops[index][0] != "write":
                continue
            for before in {(), tuple(in_flight[:position])}:
                kept = [ops[i] for i in sorted(durable + list(before))]
                for torn in _torn(ops[index]):
                    yield point, kept + torn


def _subsets(items, rng):
    if len(items) <= EXHAUSTIVE:
        return itertools.chain.from_iterable(itertools.combinations(items, size) for size in range(len(items) + 1))
    prefixes = [items[:size] for size in range(len(items) + 1)]
    return prefixes + [[item for item in items if rng.random() < 0.5] for _ in range(SAMPLED_SUBSETS)]


def _torn(write):
    """The ways a write can be half done: each byte prefix, and pieces persisted without the ones before."""
    kind, inode, offset, data = write
    for size in range(1, len(data)):
        yield [(kind, inode, offset, data[:size])]
    if len(data) >= 3:
        cuts = (0, len(data) // 3, 2 * len(data) // 3, len(data))
        pieces = [(kind, inode, offset + cuts[n], data[cuts[n]:cuts[n + 1]]) for n in range(3)]
        for kept in ((1,), (2,), (0, 2), (1, 2)):
            yield [pieces[n] for n in kept]


def image(changes):
    """The disk the *changes* leave, as ``{path: bytes}`` (directories map to :data:`DIRECTORY`)."""
    names, inodes = {}, {}
    for op in changes:
        kind = op[0]
        if kind == "mkdir":
            names[op[2]] = DIRECTORY
        elif kind == "create":
            names[op[2]] = op[3]
        elif kind == "rename":
            names.pop(op[2], None)
            names[op[3]] = op[4]
        elif kind == "unlink":
            names.pop(op[2], None)
        elif kind == "truncate":
            data = inodes.setdefault(op[1], bytearray())
            del data[op[2]:]
            data.extend(bytes(op[2] - len(data)))
        else:
            data = inodes.setdefault(op[1], bytearray())
            data.extend(bytes(max(0, op[2] - len(data))))
            data[op[2]:op[2] + len(op[3])] = op[3]
    reachable = {name: target for name, target in names.items() if _reachable(name, names)}
    return {name: target if target == DIRECTORY else bytes(inodes.get(target, b""))
            for name, target in reachable.items()}


def _parent(name):
    return os.path.dirname(name) or "."


def _reachable(name, names):
    parent = _parent(name)
    return parent == "." or (names.get(parent) == DIRECTORY and _reachable(parent, names))


def materialise(disk, root):
    """Write the disk *disk* (from :func:`image`) under the new directory *root*."""
    os.makedirs(root)
    for name in sorted(disk, key=lambda name: name.count(os.sep)):
        path = os.path.join(root, name)
        if disk[name] == DIRECTORY:
            os.mkdir(path)
        else:
            with open(path, "wb") as handle:
                handle.write(disk[name])


def disk_of(root):
    """The files and directories under *root*, as :func:`image` gives them."""
    disk = {}
    for directory, subdirectories, files in os.walk(root):
        for name in subdirectories:
            disk[os.path.relpath(os.path.join(directory, name), root)] = DIRECTORY
        for name in files:
            with open(os.path.join(directory, name), "rb") as handle:
                disk[os.path.relpath(os.path.join(directory, name), root)] = handle.read()
    return disk
