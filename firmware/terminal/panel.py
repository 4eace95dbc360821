"""The window's panel: its buttons, lamps and buzzer as gpiozero devices, built from the pin map."""

from gpiozero import LED, Button, Buzzer


class Panel:
    """Buttons (active-low, pull-ups), lamps and buzzer of one window terminal; a context manager."""

    def __init__(self, pinmap, *, pin_factory=None):
        self.pinmap = pinmap
        self.buttons, self.lamps, self.buzzer = {}, {}, None
        bounce = pinmap.bounce_ms / 1000 if pinmap.bounce_ms else None
        try:
            for name, pin in pinmap.buttons.items():
                self.buttons[name] = Button(pin, pull_up=True, bounce_time=bounce, pin_factory=pin_factory)
            for name, pin in pinmap.lamps.items():
                self.lamps[name] = LED(pin, pin_factory=pin_factory)
            self.buzzer = Buzzer(pinmap.buzzer, pin_factory=pin_factory)
        except Exception:
            self.close()
            raise

    def close(self):
        """Release every pin; safe to call twice."""
        devices = [*self.buttons.values(), *self.lamps.values()] + ([self.buzzer] if self.buzzer else [])
        for device in devices:
            device.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
