"""HallPost's shared contract: facts, hall config, fact time, the rule engine and the wire formats.

Everything here is pure: no I/O, no clock reads, no third-party imports (``cli`` is the one edge that
reads files). The window terminal and the hub run the very same code, so a window is judged the same
way with or without a network.
"""
