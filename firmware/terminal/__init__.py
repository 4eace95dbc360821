"""The window terminal: buttons, lamps, buzzer, journal and sync to the hub."""
