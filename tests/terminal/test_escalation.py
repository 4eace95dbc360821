"""A handover left waiting escalates at the terminal itself, hub or no hub: past the hall's handover_alert_s
(120 s) the B lamp blinks faster and the buzzer chirps, until B takes the post or A returns."""
import random
from datetime import timedelta

import pytest

from firmware.terminal.hublink import HubLink
from firmware.terminal.sync import SyncClient
from tests.servers import free_port

from .conftest import BLINK_S, CHIRP_STEPS_S, FAST_BLINK_S, at
from .minihub import KEY
from .test_sync import until

HANDOVER = at(9, 0)
NORMAL, FAST = ("blink", (BLINK_S, BLINK_S)), ("blink", (FAST_BLINK_S, FAST_BLINK_S))
CHIRPING = ("steps", CHIRP_STEPS_S)


@pytest.fixture
def unreachable(clock, tmp_path):
    """A sync client whose hub never answers (nothing listens on its port)."""
    link = HubLink(url=f"http://127.0.0.1:{free_port()}", terminal="win-01", key=KEY, clock=clock, timeout_s=0.5)
    return SyncClient(link=link, clock=clock, backoff_base_s=0.01, backoff_cap_s=0.05, anchor_every_s=10**6,
                      state_path=tmp_path / "status.json", rng=random.Random(7))


@pytest.fixture
def waiting(open_window, unreachable):
    """A's terminal, its hub unreachable: A signed in at 08:20 and handed over at 09:00; nobody has taken it yet."""
    w = open_window(hub=unreachable)
    w.to(at(8, 20))
    w.press("presence_a")
    w.to(HANDOVER)
    w.press("handover")
    until(lambda: "hub_unreachable" in w.terminal.faults(), timeout=10, what="the hub found unreachable")
    return w


def showing(w, name):
    return w.terminal.lamps.showing(name)


def test_at_119_s_the_b_lamp_blinks_as_usual_and_at_121_s_faster_with_chirps(waiting):
    waiting.to(HANDOVER + timedelta(seconds=119))
    assert (showing(waiting, "b"), showing(waiting, "buzzer")) == (NORMAL, ("beeps", (BLINK_S, BLINK_S, None)))
    assert waiting.lamps() == {"a": "off", "b": "blink", "empty": "on"}, "empty past its 60 s grace: the alarm"
    assert waiting.terminal.state.next_change == HANDOVER + timedelta(seconds=120, milliseconds=1), \
        "the terminal's timer wakes it at the threshold (it never polls)"
    waiting.to(HANDOVER + timedelta(seconds=121))
    assert (showing(waiting, "b"), showing(waiting, "buzzer")) == (FAST, CHIRPING)
    assert waiting.lamps() == {"a": "off", "b": "blink", "empty": "on"}
    assert waiting.buzzer() == "beeping"


def test_b_taking_the_post_ends_it(waiting):
    waiting.to(HANDOVER + timedelta(seconds=150))
    assert showing(waiting, "b") == FAST
    waiting.press("presence_b")
    assert (showing(waiting, "b"), showing(waiting, "buzzer")) == ((True, (BLINK_S, BLINK_S)), (False, None))
    assert waiting.lamps() == {"a": "off", "b": "on", "empty": "off"} and waiting.buzzer() == "off"


def test_a_returning_ends_it(waiting):
    waiting.to(HANDOVER + timedelta(seconds=150))
    waiting.press("presence_a")
    assert (showing(waiting, "a"), showing(waiting, "b")) == ((True, (BLINK_S, BLINK_S)), (False, (BLINK_S, BLINK_S)))
    assert waiting.buzzer() == "off"
