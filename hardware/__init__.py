"""The hardware kit of a window terminal: pin map, circuit values and the wiring diagram generator."""
