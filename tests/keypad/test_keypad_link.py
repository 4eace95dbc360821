"""Terminal ↔ keypad over a real pty pair, the keypad being the firmware running in MicroPython (Node)."""
import pytest

pytestmark = pytest.mark.micropython

DARK = {"rate": 0, "keys": [], "prompt": None}
ATTACHED = ("keypad", {"attached": True, "firmware": "1.1.0"})
DETACHED = ("keypad", {"attached": False, "firmware": "1.1.0"})


def prompted(service):
    return {"rate": 1, "keys": [1, 2, 3, 4, 5], "prompt": service}


def attached(link, facts, plug):
    """Plug a fresh keypad in and attach it: its handshake is recorded first. ``(devnode, keypad)``."""
    devnode, keypad = plug()
    link.attach(devnode)
    assert facts.next() == ATTACHED
    return devnode, keypad


def prompt(link, keypad, service, **timeout):
    """Prompt the keypad for *service*'s rating (done pressed) and see its rating lamps light for it."""
    link.prompt(service, **timeout)
    assert keypad.wait_lamps(prompted(service)) == prompted(service)


def rate(keypad, facts, service, score):
    """Press *score* on the prompted keypad: the rating of *service* is recorded."""
    keypad.press(score)
    assert facts.next() == ("rating", {"service": service, "score": score})


def test_handshake_records_the_keypad_with_its_firmware(link, facts, plug):
    attached(link, facts, plug)
    assert link.present


def test_done_prompts_the_keypad_and_the_key_becomes_a_rating(link, facts, plug):
    _, keypad = attached(link, facts, plug)
    prompt(link, keypad, 12, timeout_s=1)
    rate(keypad, facts, 12, 5)
    assert facts.none_within(1.5)


def test_prompt_not_answered_in_time_is_rating_missed_and_the_keypad_goes_dark(link, facts, plug):
    _, keypad = attached(link, facts, plug)
    prompt(link, keypad, 13, timeout_s=2)
    assert facts.next() == ("rating_missed", {"service": 13})
    assert keypad.wait_lamps(DARK, timeout=2.0) == DARK
    keypad.press(3)
    assert facts.next() == ("stray_key", {"key": 3})


def test_keys_without_a_prompt_are_stray_keys(link, facts, plug):
    _, keypad = attached(link, facts, plug)
    keypad.press(2)
    keypad.press(4)
    assert [facts.next(), facts.next()] == [("stray_key", {"key": 2}), ("stray_key", {"key": 4})]


def test_one_rating_per_service_whatever_is_pressed_or_prompted_again(link, facts, plug):
    _, keypad = attached(link, facts, plug)
    prompt(link, keypad, 17)
    keypad.press(5, hold_s=0.05)
    keypad.press(1, hold_s=0.05)
    link.prompt(17)
    assert [facts.next(), facts.next()] == [("rating", {"service": 17, "score": 5}), ("stray_key", {"key": 1})]
    assert keypad.wait_lamps(DARK, timeout=2.0) == DARK
    assert facts.none_within(0.5)


def test_newer_done_supersedes_an_open_prompt(link, facts, plug):
    _, keypad = attached(link, facts, plug)
    link.prompt(20)
    link.prompt(21)
    assert facts.next() == ("rating_missed", {"service": 20})
    keypad.wait_lamps(prompted(21))
    rate(keypad, facts, 21, 4)


def test_unplug_mid_prompt_records_the_unplug_and_the_missed_rating_then_replug_works(link, facts, plug):
    devnode, keypad = attached(link, facts, plug)
    prompt(link, keypad, 14, timeout_s=2)
    keypad.unplug()
    assert facts.next() == DETACHED
    assert not link.present
    assert facts.next() == ("rating_missed", {"service": 14})
    link.detach(devnode)
    _, keypad = attached(link, facts, plug)
    prompt(link, keypad, 15)
    rate(keypad, facts, 15, 2)


def test_replug_before_the_timeout_gets_the_prompt_back(link, facts, plug):
    devnode, keypad = attached(link, facts, plug)
    prompt(link, keypad, 16, timeout_s=10)
    keypad.unplug()
    link.detach(devnode)
    assert facts.next() == DETACHED
    _, keypad = attached(link, facts, plug)
    assert keypad.wait_lamps(prompted(16)) == prompted(16)
    rate(keypad, facts, 16, 1)


def test_unplug_while_idle_and_detach_before_the_error_is_seen(link, facts, plug):
    devnode, keypad = attached(link, facts, plug)
    link.detach(devnode)
    keypad.unplug()
    assert facts.next() == DETACHED
    assert facts.none_within(0.5)
