"""The panel on gpiozero's MockFactory: devices on the pin map's pins, active-low buttons, idempotent close."""
from gpiozero import LED, Button, Buzzer

from firmware.terminal.panel import Panel


def test_panel_builds_the_parts_on_the_pinmap_pins(mock_pins, pinmap):
    with Panel(pinmap) as panel:
        assert set(panel.buttons) == set(pinmap.buttons) and set(panel.lamps) == set(pinmap.lamps)
        for name, button in panel.buttons.items():
            assert isinstance(button, Button) and button.pin.info.name == f"GPIO{pinmap.buttons[name]}"
            assert button.pull_up and button.pin.bounce == pinmap.bounce_ms / 1000
        for name, lamp in panel.lamps.items():
            assert isinstance(lamp, LED) and lamp.pin.info.name == f"GPIO{pinmap.lamps[name]}"
        assert isinstance(panel.buzzer, Buzzer) and panel.buzzer.pin.info.name == f"GPIO{pinmap.buzzer}"
        done = panel.buttons["done"]
        assert not done.is_pressed
        done.pin.drive_low()                     # active-low: pulling the pin to ground is a press
        assert done.is_pressed
    panel.close()                                # a second close does nothing
    assert panel.buzzer.closed and all(b.closed for b in panel.buttons.values())


def test_panel_releases_its_pins_so_a_restart_can_take_them(mock_pins, pinmap):
    Panel(pinmap).close()
    with Panel(pinmap) as again:
        assert not again.buttons["handover"].closed
