"""The one atomic-write helper: the old file or the new one, the mode asked for, no temporary left behind."""
import os
import stat

import pytest

from firmware.terminal import atomic
from firmware.terminal.atomic import replace_file


@pytest.fixture
def fsyncs(monkeypatch):
    """The file descriptors fsynced, as (kind, fd): 'dir' or 'file'."""
    synced, real = [], os.fsync

    def fsync(fd):
        synced.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real(fd)
    monkeypatch.setattr(atomic.os, "fsync", fsync)
    return synced


def test_the_new_contents_replace_the_old_and_reach_the_disk(tmp_path, fsyncs):
    path = tmp_path / "hall-config.json"
    path.write_bytes(b"old")
    replace_file(path, b"new contents")
    assert path.read_bytes() == b"new contents"
    assert fsyncs == ["file", "dir"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hall-config.json"]


def test_a_status_file_need_not_reach_the_disk(tmp_path, fsyncs):
    replace_file(str(tmp_path / "status.json"), b"{}", durable=False)
    assert (tmp_path / "status.json").read_bytes() == b"{}" and fsyncs == []


def test_a_key_gets_its_mode_whatever_the_umask_or_a_stale_temporary(tmp_path):
    path = tmp_path / "terminal.key"
    stale = tmp_path / "terminal.key.tmp"
    stale.write_bytes(b"half a key from a power cut")
    stale.chmod(0o644)
    saved = os.umask(0)
    try:
        replace_file(path, b"00ff\n", mode=0o600)
    finally:
        os.umask(saved)
    assert path.read_bytes() == b"00ff\n" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not stale.exists()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "terminal.key"
    path.write_bytes(b"old key\n")

    def full_disk(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        replace_file(path, b"new key\n", mode=0o600)
    assert path.read_bytes() == b"old key\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["terminal.key"]


def test_a_symlinked_temporary_is_not_followed(tmp_path):
    target = tmp_path / "elsewhere"
    target.write_bytes(b"untouched")
    (tmp_path / "terminal.key.tmp").symlink_to(target)
    with pytest.raises(OSError):
        replace_file(tmp_path / "terminal.key", b"00ff\n", mode=0o600)
    assert target.read_bytes() == b"untouched" and not (tmp_path / "terminal.key").exists()
