"""The keypad's lamps: one over each rating key and the "please rate" (请评价) lamp."""


class Lamps:
    """Lamps on output *key_pins* (``key_pins[0]`` over key 1) and *rate_pin*; high lights a lamp."""

    def __init__(self, key_pins, rate_pin):
        self._key_pins = key_pins
        self._rate_pin = rate_pin
        self.show()

    def show(self, rate=False, keys=()):
        """Light the "please rate" lamp if *rate* and the lamps over *keys*; put out all the others."""
        self._rate_pin.value(1 if rate else 0)
        for index, pin in enumerate(self._key_pins):
            pin.value(1 if index + 1 in keys else 0)
