"""The hall simulator: a real hub, real window terminals and keypads, simulated clerks and citizens."""
