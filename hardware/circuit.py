"""Electrical values of the window terminal's circuit: lamp resistors, buzzer driver, header pin numbers."""

from __future__ import annotations

from dataclasses import dataclass

from firmware.terminal.pinmap import LAMP_COLOURS

SUPPLY_V = 5.0           # lamps and buzzer run from the Pi's 5 V rail
DRIVER = "ULN2803A"      # low-side Darlington array between the GPIOs and the lamps
DRIVER_DROP_V = 0.8      # ULN2803A collector-emitter saturation at ~20 mA
LED_CURRENT_A = 0.020    # 10 mm high-brightness LEDs: 20 mA nominal
E12 = (10, 12, 15, 18, 22, 27, 33, 39, 47, 56, 68, 82)

# The forward voltage of a 10 mm LED by colour (typical values), and the colour and voltage of each lamp's LED.
FORWARD_V = {"green": 3.0, "amber": 2.1, "red": 2.0, "blue": 3.0}
LAMP_LEDS = {lamp: (colour, FORWARD_V[colour]) for lamp, colour in LAMP_COLOURS.items()}

BUZZER_BASE_OHMS = 1000      # GPIO -> NPN base: (3.3 V - 0.7 V) / 1 kΩ = 2.6 mA, ample for a 30 mA buzzer
BUZZER_PULLDOWN_OHMS = 10000  # base to GND: buzzer silent while the GPIO floats at boot
BUZZER_TRANSISTOR = "S8050 (or BC337 / 2N2222A) NPN"

# Physical pin of each BCM GPIO on the 40-pin header, and the power pins.
HEADER = {
    2: 3, 3: 5, 4: 7, 14: 8, 15: 10, 17: 11, 18: 12, 27: 13, 22: 15, 23: 16, 24: 18, 10: 19, 9: 21,
    25: 22, 11: 23, 8: 24, 7: 26, 0: 27, 1: 28, 5: 29, 6: 31, 12: 32, 13: 33, 19: 35, 16: 36, 26: 37,
    20: 38, 21: 40,
}
POWER_PINS = {1: "3V3", 2: "5V", 4: "5V", 6: "GND", 9: "GND", 14: "GND", 17: "3V3", 20: "GND", 25: "GND",
              30: "GND", 34: "GND", 39: "GND"}
SUPPLY_PIN = 2
GROUND_PIN = 6


@dataclass(frozen=True)
class LampResistor:
    """The series resistor of one lamp's LED and the current it lets through."""

    lamp: str
    colour: str
    forward_v: float
    ohms: int
    current_ma: float
    power_mw: float


def next_e12(ohms: float) -> int:
    """The smallest E12 resistor value not below ``ohms`` (so the LED never exceeds its current)."""
    decade = 1
    while True:
        for base in E12:
            if base * decade >= ohms:
                return base * decade
        decade *= 10


def lamp_resistor(lamp: str) -> LampResistor:
    """The series resistor for a lamp's LED on the 5 V rail switched by the ULN2803A."""
    colour, forward_v = LAMP_LEDS[lamp]
    headroom_v = SUPPLY_V - forward_v - DRIVER_DROP_V
    ohms = next_e12(headroom_v / LED_CURRENT_A)
    current = headroom_v / ohms
    return LampResistor(lamp, colour, forward_v, ohms, round(current * 1000, 1), round(current**2 * ohms * 1000))


def physical_pin(bcm: int) -> int:
    """The physical header pin (1..40) of a BCM GPIO number."""
    return HEADER[bcm]
