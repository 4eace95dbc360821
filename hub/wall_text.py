"""``hallpost hub wall``: the live wall (实时看板) as plain text, for an operator without a browser."""
import sys
import time
import unicodedata

from protocol.config import CONTROL_CHARACTERS

STATE_WORDS = {"A": "A holds", "B": "B holds", "empty": "EMPTY", "closed": "closed", "unknown": "UNKNOWN"}
CLEAR = "\x1b[H\x1b[2J"


def add_arguments(parser):
    """Options of ``hallpost hub wall``."""
    from .cli_refusals import add_database_argument
    add_database_argument(parser)
    parser.add_argument("--hall", help="the hall's id (default: the hub's first hall)")
    parser.add_argument("--once", action="store_true", help="print the wall once and exit")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between refreshes (default 1)")


def _pad(text, width):
    """*text* cut and padded to *width* terminal columns (CJK characters take two)."""
    out, used = "", 0
    for char in text:
        size = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + size > width:
            break
        out, used = out + char, used + size
    return out + " " * (width - used)


def describe(window):
    """One window's line (a :class:`hub.wall.Card`): id, state, who holds it, what is wrong, keypad, last sync."""
    words = STATE_WORDS[window.state]
    if window.holder_name:
        words += f" ({window.holder_name})"
    if window.empty_for:
        words += f" for {window.empty_for}"
    if window.state == "unknown":
        words += f" (offline since {window.offline_clock or '-'})"
    notes = []
    if window.waiting:
        notes.append(f"handover waiting for {window.waiting}")
    if window.alarm:
        notes.append("ALARM")
    notes += window.troubles
    keypad = {True: "yes", False: "NO", None: "?"}[window.keypad]
    return (f"{window.id:<5} {_pad(window.name, 22)} {_pad(words, 36)} {', '.join(notes):<26} "
            f"keypad {keypad:<3} sync {window.last_sync_clock or '-'}")


def render(data):
    """The whole wall (a :class:`hub.wall.Wall`) as text: a title line with the hub's local time, one line per window.

    Control characters are stripped from every line: a name or a terminal's fault string holding ESC
    sequences must not clear or repaint the operator's screen.
    """
    lines = [f"HallPost live wall  {data.now_local.replace('T', ' ')}", ""]
    lines += [describe(window) for window in data.windows]
    counts = {}
    for window in data.windows:
        counts[window.state] = counts.get(window.state, 0) + 1
    lines += ["", "  ".join(f"{STATE_WORDS[s]}: {n}" for s, n in sorted(counts.items()))]
    return "\n".join(CONTROL_CHARACTERS.sub("", line) for line in lines) + "\n"


def snapshot(db, clock, hall=None):
    """The wall's data of *hall* (the first hall by default) at the hub's time *clock()*, read from *db*."""
    from .i18n import translations
    from .store import Store
    from .wall import snapshot
    with Store.open(db, clock=clock) as store:
        config = store.configs.hall(hall)
        return snapshot(store, config, config.windows, store.now(), translations("en").gettext)


def run(args, *, out=None):
    """Print the wall once (``--once``) or every ``--every`` seconds until interrupted."""
    from protocol.clock import ClockSpecError

    from .clock import clock_from_environment
    out = out or sys.stdout
    try:
        clock = clock_from_environment()
    except ClockSpecError as exc:
        print(f"hallpost hub wall: {exc}", file=sys.stderr)
        return 2
    try:
        while True:
            text = render(snapshot(args.db, clock, getattr(args, "hall", None)))
            out.write(text if args.once else CLEAR + text)
            out.flush()
            if args.once:
                return 0
            time.sleep(args.every)
    except KeyboardInterrupt:
        return 0
    except LookupError as exc:
        print(f"hallpost hub wall: {exc}", file=sys.stderr)
        return 2
