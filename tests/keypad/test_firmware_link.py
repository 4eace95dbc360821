"""The keypad's link chosen at boot, in real MicroPython: its own USB data port with runtime USB, else the REPL.

``run_micropython(..., runtime_usb=True)`` puts the stand-in for micropython-lib's ``usb.device`` and
``usb.device.cdc`` (``firmware/keypad/host/runtime_usb/``) into the VFS, as ``mpremote mip install
usb-device-cdc`` puts the real package on a board.
"""
import pytest

pytestmark = pytest.mark.micropython

CDC_BENCH = """
import sys
import board
import link
from machine import Pin
from usb import device
from keypad_host import report
from protocol import serial

keypad_link = link.open_link()
data_port = device.get().interfaces[0]
keypad = board.build(keypad_link)
decoder = serial.Decoder()
now = 0

def run(ms):
    global now
    for _ in range(ms // 5):
        now += 5
        keypad.step(now)

def send(kind, *args):
    data_port.host_send(serial.encode(kind, *args))

def frames():
    return [[kind, list(args)] for kind, args in decoder.feed(data_port.host_take())]

def press(key):
    Pin.made[board.KEY_GPIOS[key - 1]].drive(0)
    run(100)
    Pin.made[board.KEY_GPIOS[key - 1]].drive(1)
    run(100)
"""


def test_with_runtime_usb_the_frames_use_their_own_usb_serial_port_beside_the_repl(micropython):
    console = []
    result = micropython(CDC_BENCH + """
keypad.start()                                   # no terminal has the data port open yet
before_open = data_port.host_take()
data_port.host_open()
send("IDENT")
send("PING", 7)
run(20)
answers = frames()
print("Traceback (most recent call last):")     # what a crash or a stray print puts on the console
sys.print_exception(ValueError("boom"))
run(20)
after_noise = data_port.host_take()
send("PROMPT", 12, 60)
run(20)
press(4)
press(2)
report(link=type(keypad_link).__name__, builtin_driver=device.get().builtin_driver,
       interfaces=len(device.get().interfaces), timeout=data_port.timeout, before_open=len(before_open),
       answers=answers, after_noise=len(after_noise), keys=frames(), decoder=decoder.counts())
""", runtime_usb=True, console=console)
    assert result["link"] == "CdcLink"
    assert (result["builtin_driver"], result["interfaces"], result["timeout"]) == (True, 1, 0)
    assert result["before_open"] == 0, "frames written with no terminal listening must not wait for one"
    assert result["answers"] == [["HELLO", ["1.1.0"]], ["PONG", [7]]]
    assert result["after_noise"] == 0
    assert result["keys"] == [["RATE", [12, 4]], ["STRAY", [2]]]
    assert result["decoder"] == {"frames": 4, "garbage": 0, "too_long": 0, "bad_checksum": 0, "malformed": 0}
    assert "ValueError: boom" in console
    assert not [line for line in console if "$" in line], f"frames reached the console: {console}"


def test_data_port_reads_do_not_block_and_come_in_bounded_chunks(micropython):
    result = micropython(CDC_BENCH + """
empty = keypad_link.read()
data_port.host_send(b"x" * 300)
chunks = [len(keypad_link.read()) for _ in range(4)]
report(empty=empty == b"", chunks=chunks)
""", runtime_usb=True)
    assert result == {"empty": True, "chunks": [128, 128, 44, 0]}


def test_without_usb_device_cdc_installed_the_keypad_speaks_over_the_repl_console(micropython):
    result = micropython("""
import link
from keypad_host import report
report(link=type(link.open_link()).__name__)
""")
    assert result == {"link": "UsbLink"}


def test_firmware_older_than_runtime_usb_falls_back_to_the_console_even_with_the_package(micropython):
    result = micropython("""
import machine
del machine.USBDevice                            # MicroPython < 1.23, usb-device-cdc installed anyway
import link
from usb import device
from keypad_host import report
report(link=type(link.open_link()).__name__, usb_touched=device._device is not None)
""", runtime_usb=True)
    assert result == {"link": "UsbLink", "usb_touched": False}
