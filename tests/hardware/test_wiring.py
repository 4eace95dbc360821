"""The wiring diagram agrees with the pin map, and the lamp resistors are what the BOM lists."""

import re
import subprocess
from xml.etree import ElementTree
from pathlib import Path

import pytest

from firmware.terminal.pinmap import load_pinmap, parse_pinmap
from hardware import circuit, wiring

ROOT = Path(__file__).resolve().parents[2]


def test_committed_svg_is_the_one_the_pin_map_generates():
    assert (ROOT / "hardware" / "wiring.svg").read_text(encoding="utf-8") == wiring.render(
        load_pinmap(ROOT / "hardware" / "pinmap.toml"))


def test_svg_names_every_used_pin_of_the_map():
    pinmap = load_pinmap(ROOT / "hardware" / "pinmap.toml")
    svg = wiring.render(pinmap)
    for key, bcm in pinmap.pins().items():
        assert f"pin {circuit.physical_pin(bcm)} · GPIO{bcm}" in svg
        assert f"{key}:" in svg


def test_moving_a_pin_moves_it_in_the_diagram():
    text = (ROOT / "hardware" / "pinmap.toml").read_text(encoding="utf-8").replace("done = 23", "done = 24")
    svg = wiring.render(parse_pinmap(text))
    assert "pin 18 · GPIO24" in svg and "GPIO24 done" in svg
    assert "pin 16 · GPIO23" not in svg and "GPIO23 done" not in svg


def test_render_is_deterministic():
    pinmap = load_pinmap(ROOT / "hardware" / "pinmap.toml")
    assert wiring.render(pinmap) == wiring.render(pinmap)


def test_script_checks_and_writes(tmp_path):
    out = tmp_path / "wiring.svg"
    script = ROOT / "scripts" / "make-wiring-svg"
    assert subprocess.run([script, "--check", "--out", out], capture_output=True).returncode == 1
    subprocess.run([script, "--out", out], check=True)
    assert subprocess.run([script, "--check", "--out", out]).returncode == 0
    assert out.read_text(encoding="utf-8") == (ROOT / "hardware" / "wiring.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize(("ohms", "expected"), [(60, 68), (105, 120), (68, 68), (8.5, 10), (1001, 1200)])
def test_next_e12_rounds_up(ohms, expected):
    assert circuit.next_e12(ohms) == expected


@pytest.mark.parametrize("lamp", sorted(circuit.LAMP_LEDS))
def test_lamp_current_stays_under_the_led_rating(lamp):
    resistor = circuit.lamp_resistor(lamp)
    assert 0 < resistor.current_ma <= circuit.LED_CURRENT_A * 1000
    assert resistor.power_mw < 250  # a 1/4 W resistor suffices


def test_bom_lists_the_computed_resistors():
    bom = (ROOT / "hardware" / "BOM.md").read_text(encoding="utf-8")
    for lamp in circuit.LAMP_LEDS:
        resistor = circuit.lamp_resistor(lamp)
        rows = re.findall(rf"^\|.*\b{resistor.colour}\b.*$", bom, re.MULTILINE | re.IGNORECASE)
        wanted = (f"| {resistor.ohms} Ω |", f"| {resistor.current_ma} mA |")
        assert any(all(value in row for value in wanted) for row in rows), (resistor, rows)


def test_svg_is_well_formed():
    root = ElementTree.fromstring((ROOT / "hardware" / "wiring.svg").read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
