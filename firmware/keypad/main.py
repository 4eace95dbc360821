"""Keypad entry point: the rating flow over the Pico's USB serial (Ctrl-C, as mpremote sends, stops it)."""
import board
from usb_link import UsbLink

board.run(UsbLink())
