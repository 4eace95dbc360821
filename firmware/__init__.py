"""Device-side code: the window terminal and the evaluation keypad."""
