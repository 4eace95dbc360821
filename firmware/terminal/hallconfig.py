"""The hall configuration the terminal judges by: served by the hub, cached durably on disk.

Both are config sources (:class:`firmware.terminal.seams.ConfigSource`): ``current()`` gives a HallConfig,
or None before the first one arrives. The cache file holds ``{"etag": ..., "config": {...}}``; it is replaced atomically (temp file, fsync, rename, fsync
of the directory), so a power cut leaves the old or the new configuration, never half of one.
"""
import json
import logging
import threading
from pathlib import Path

from protocol.config import config_from_dict, load_config
from protocol.errors import ConfigError

from .atomic import replace_file

log = logging.getLogger(__name__)


class StaticConfig:
    """A fixed configuration (tests, the demo, a terminal that never talks to a hub)."""

    etag = None

    def __init__(self, config):
        self._config = config

    def current(self):
        """The configuration."""
        return self._config


class ConfigCache:
    """The last configuration the hub served, with its ETag, kept in *path*."""

    def __init__(self, path, *, seed_toml=None):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.etag, self._config = None, None
        self._remove_stray_temp()
        if self.path.exists():
            self._load()
        elif seed_toml is not None:
            self._config = load_config(Path(seed_toml).read_text(encoding="utf-8"))

    def current(self):
        """The cached configuration, or None before the first one."""
        with self._lock:
            return self._config

    def store(self, etag, document):
        """Validate *document* (the hub's config JSON as a dict), write it durably, then use it."""
        config = config_from_dict(document)
        replace_file(self.path, json.dumps({"etag": etag, "config": document}, ensure_ascii=False,
                                           sort_keys=True).encode())
        with self._lock:
            self.etag, self._config = etag, config
        return config

    def _load(self):
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            config = config_from_dict(data["config"])
        except (ValueError, KeyError, TypeError, ConfigError) as exc:
            log.error("config cache %s is unreadable (%s); waiting for the hub's configuration", self.path, exc)
            return
        self.etag, self._config = data.get("etag"), config

    def _remove_stray_temp(self):
        self.path.with_name(self.path.name + ".tmp").unlink(missing_ok=True)
