"""Every seam of the terminal: its real implementation and its stand-ins offer what the protocol names."""
import inspect
from datetime import datetime, timezone
from pathlib import Path

import pytest

from firmware.terminal import seams
from firmware.terminal.clock import ManualClock, ScaledClock, SystemClock
from firmware.terminal.hallconfig import ConfigCache, StaticConfig
from firmware.terminal.hublink import HubLink
from firmware.terminal.keypad import KeypadLink
from firmware.terminal.sync import SyncClient

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)


def implementations(tmp_path):
    """(seam, implementation object) for every implementation HallPost ships."""
    link = HubLink(url="http://127.0.0.1:9", terminal="win-01", key=b"k" * 32, clock=ManualClock(NOW))
    return [
        (seams.Clock, SystemClock()), (seams.Clock, ScaledClock(NOW)), (seams.Clock, ManualClock(NOW)),
        (seams.ConfigSource, ConfigCache(Path(tmp_path) / "config.json")), (seams.ConfigSource, StaticConfig(None)),
        (seams.HubLink, link),
        (seams.HubSync, SyncClient(link=link, clock=ManualClock(NOW))),
        (seams.Keypad, KeypadLink()),
    ]


def members(seam):
    """The methods and attributes *seam* names (not the machinery of typing.Protocol)."""
    names = {name for name in vars(seam) if not name.startswith("_")}
    return names | set(getattr(seam, "__annotations__", {}))


@pytest.mark.parametrize("index", range(8))
def test_each_implementation_offers_every_member_of_its_seam(index, tmp_path):
    seam, real = implementations(tmp_path)[index]
    missing = [name for name in members(seam) if not hasattr(real, name)]
    assert missing == [], f"{type(real).__name__} lacks {missing} of {seam.__name__}"


@pytest.mark.parametrize("index", range(8))
def test_each_method_takes_the_arguments_its_seam_passes(index, tmp_path):
    seam, real = implementations(tmp_path)[index]
    for name, method in vars(seam).items():
        if name.startswith("_") or not inspect.isfunction(method):
            continue
        wanted = list(inspect.signature(method).parameters)[1:]
        got = inspect.signature(getattr(real, name)).parameters
        assert all(parameter in got for parameter in wanted), (type(real).__name__, name, wanted, list(got))
        required = [p for p in list(got)[len(wanted):] if got[p].default is inspect.Parameter.empty]
        assert required == [], (type(real).__name__, name, required)


def test_the_check_finds_a_missing_member():
    class Incomplete:
        unreachable_since = rejected = None

        def attach(self, owner):
            """Only one of four methods."""

    assert members(seams.HubSync) - {"unreachable_since", "rejected", "attach"} == {"start", "notify", "close"}
    assert not isinstance(Incomplete(), seams.HubSync)
