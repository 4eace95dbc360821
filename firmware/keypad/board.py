"""The keypad board: which Pico GPIO each key and lamp is wired to, and the main loop."""
import time

from keys import Keys
from lamps import Lamps
from machine import Pin
from micropython import const
from rating import RatingKeypad

KEY_GPIOS = (2, 3, 4, 5, 6)
LAMP_GPIOS = (10, 11, 12, 13, 14)
RATE_LAMP_GPIO = const(15)
POLL_MS = const(5)


def build(link):
    """A RatingKeypad on this board's pins, talking over *link*."""
    keys = Keys([Pin(gpio, Pin.IN, Pin.PULL_UP) for gpio in KEY_GPIOS])
    lamps = Lamps([Pin(gpio, Pin.OUT, value=0) for gpio in LAMP_GPIOS], Pin(RATE_LAMP_GPIO, Pin.OUT, value=0))
    return RatingKeypad(keys, lamps, link)


def run(link):
    """Run the keypad over *link* forever."""
    keypad = build(link)
    keypad.start()
    while True:
        keypad.step(time.ticks_ms())
        time.sleep_ms(POLL_MS)
