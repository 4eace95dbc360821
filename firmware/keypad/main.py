"""Keypad entry point: the rating flow over the keypad's USB data port (Ctrl-C on the REPL stops it)."""
import board
from link import open_link

board.run(open_link())
