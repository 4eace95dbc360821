"""Replacing a file atomically: a power cut leaves its old contents or its new ones, never half of either."""
import os


def fsync_directory(path):
    """Make the directory entries of *path* (created, renamed or removed files) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_file(path, data, *, mode=None, durable=True):
    """Replace *path* with the bytes *data*: ``<path>.tmp`` written, fsynced, renamed over *path*, directory fsynced.

    *mode* (e.g. 0o600 for a key) is set on the temporary file before anything is written, whatever the
    umask; None leaves the umask's. *durable* False skips both fsyncs (a status file a crash may lose).
    A failed write removes the temporary file and leaves *path* as it was.
    """
    path = os.fspath(path)
    temp = path + ".tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o666 if mode is None else mode)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(temp)
        raise
    os.close(fd)
    os.replace(temp, path)
    if durable:
        fsync_directory(os.path.dirname(path) or ".")
