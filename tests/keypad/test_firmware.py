"""The keypad firmware in real MicroPython: key presses on the fake pins → frames; frames → lamps."""
import pytest

pytestmark = pytest.mark.micropython

BENCH = "from keypad_host import Bench, report\nbench = Bench()\nbench.run(20)\n"
ALL_LIT = {"rate": 1, "keys": [1, 2, 3, 4, 5]}
DARK = {"rate": 0, "keys": []}


def scenario(micropython, code):
    """Run *code* after a started bench (``bench``) has said hello; its report."""
    return micropython(BENCH + "hello = bench.frames()\n" + code)


def test_keypad_says_hello_with_its_firmware_at_start_and_on_ident(micropython):
    result = scenario(micropython, """
lamps = bench.lamps()
bench.send("IDENT")
bench.send("PING", 4711)
bench.run(10)
report(hello=hello, lamps=lamps, answers=bench.frames())
""")
    assert result["hello"] == [["HELLO", ["1.1.0"]]]
    assert result["lamps"] == DARK
    assert result["answers"] == [["HELLO", ["1.1.0"]], ["PONG", [4711]]]


@pytest.mark.parametrize("key", [1, 2, 3, 4, 5])
def test_prompt_lights_every_key_and_the_pressed_key_rates_the_service(micropython, key):
    result = scenario(micropython, f"""
bench.send("PROMPT", 12, 60)
bench.run(10)
prompted = bench.lamps()
bench.press({key})
rated = bench.lamps()
frames = bench.frames()
bench.run(1500)
report(prompted=prompted, rated=rated, frames=frames, later=bench.lamps())
""")
    assert result["prompted"] == ALL_LIT
    assert result["frames"] == [["RATE", [12, key]]]
    assert result["rated"] == {"rate": 0, "keys": [key]}
    assert result["later"] == DARK


def test_key_without_a_prompt_is_a_stray_key_and_lights_nothing(micropython):
    result = scenario(micropython, """
bench.press(2)
report(frames=bench.frames(), lamps=bench.lamps())
""")
    assert result["frames"] == [["STRAY", [2]]]
    assert result["lamps"] == DARK


def test_bouncing_contact_gives_one_press(micropython):
    result = scenario(micropython, """
bench.send("PROMPT", 12, 60)
bench.bounce(4, [0, 1, 0, 1, 1, 0, 1, 0])
bench.run(100)
bench.bounce(4, [1, 0, 1, 0, 1])
bench.run(100)
report(frames=bench.frames())
""")
    assert result["frames"] == [["RATE", [12, 4]]]


def test_glitch_shorter_than_the_debounce_is_no_press(micropython):
    result = scenario(micropython, """
bench.send("PROMPT", 12, 60)
bench.bounce(3, [0, 0, 1])
bench.run(200)
report(frames=bench.frames(), prompt=bench.keypad.service)
""")
    assert result == {"frames": [], "prompt": 12}


def test_key_held_for_seconds_gives_one_press(micropython):
    result = scenario(micropython, """
bench.send("PROMPT", 12, 60)
bench.press(5, hold=3000)
report(frames=bench.frames())
""")
    assert result["frames"] == [["RATE", [12, 5]]]


def test_double_press_rates_once_and_the_second_press_is_stray(micropython):
    result = scenario(micropython, """
bench.send("PROMPT", 12, 60)
bench.press(5, hold=60)
bench.press(5, hold=60)
report(frames=bench.frames())
""")
    assert result["frames"] == [["RATE", [12, 5]], ["STRAY", [5]]]


def test_prompt_times_out_lights_nothing_and_a_late_key_is_stray(micropython):
    result = scenario(micropython, """
bench.send("PROMPT", 12, 2)
bench.run(1990)
before = bench.lamps()
bench.run(20)
after = bench.lamps()
bench.press(1)
report(before=before, after=after, frames=bench.frames())
""")
    assert result["before"] == ALL_LIT
    assert result["after"] == DARK
    assert result["frames"] == [["STRAY", [1]]]


def test_cancel_of_the_open_prompt_puts_lamps_out(micropython):
    result = scenario(micropython, """
bench.send("PROMPT", 12, 60)
bench.send("CANCEL", 11)
bench.run(10)
other = bench.lamps()
bench.send("CANCEL", 12)
bench.run(10)
cancelled = bench.lamps()
bench.press(3)
report(other=other, cancelled=cancelled, frames=bench.frames())
""")
    assert result["other"] == ALL_LIT
    assert result["cancelled"] == DARK
    assert result["frames"] == [["STRAY", [3]]]


def test_newer_prompt_replaces_the_open_one(micropython):
    result = scenario(micropython, """
bench.send("PROMPT", 12, 60)
bench.run(10)
bench.send("PROMPT", 13, 60)
bench.press(2)
report(frames=bench.frames())
""")
    assert result["frames"] == [["RATE", [13, 2]]]


def test_prompt_during_the_confirmation_lamp_opens_at_once(micropython):
    result = scenario(micropython, """
bench.send("PROMPT", 12, 60)
bench.press(5)
bench.send("PROMPT", 13, 60)
bench.run(10)
lamps = bench.lamps()
bench.run(2000)
report(lamps=lamps, still=bench.lamps(), prompt=bench.keypad.service)
""")
    assert result == {"lamps": ALL_LIT, "still": ALL_LIT, "prompt": 13}


def test_garbage_from_the_terminal_is_skipped_and_the_keypad_keeps_working(micropython):
    result = scenario(micropython, """
bench.wire.inbound += bytes(range(256)) * 4 + b"$PROMPT,12,60*00000000\\n" + b"\\n" * 3
bench.run(20)
bench.send("PING", 1)
bench.run(10)
report(frames=bench.frames(), prompt=bench.keypad.service)
""")
    assert result == {"frames": [["PONG", [1]]], "prompt": None}
