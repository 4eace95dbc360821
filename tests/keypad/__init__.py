"""Evaluation keypad: firmware in MicroPython, serial vectors, terminal link, udev."""
