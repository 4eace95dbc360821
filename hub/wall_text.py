"""``hallpost hub wall``: the live wall (实时看板) as plain text, for an operator without a browser."""
import sys
import time
import unicodedata

from protocol.config import CONTROL_CHARACTERS

from .i18n import DEFAULT_LANGUAGE, LOCALES, N_, translations
from .wall import STATE_WORDS

CLEAR = "\x1b[H\x1b[2J"
WIDTH = 80
TITLE, ALARM, COUNT = N_("HallPost live wall  %(hall)s  %(time)s"), N_("ALARM"), N_("%(state)s: %(n)s")
KEYPAD, SYNC, NEVER_SYNCED = N_("keypad %(state)s"), N_("sync %(time)s"), N_("never synced")


def add_arguments(parser):
    """Options of ``hallpost hub wall``."""
    from .cli_refusals import add_database_argument
    add_database_argument(parser)
    parser.add_argument("--hall", help="the hall's id (default: the hub's first hall)")
    parser.add_argument("--once", action="store_true", help="print the wall once and exit")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between refreshes (default 1)")
    parser.add_argument("--lang", choices=sorted(LOCALES), default=DEFAULT_LANGUAGE,
                        help=f"the language of the wall (default {DEFAULT_LANGUAGE})")


def columns(text):
    """How many terminal columns *text* takes (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text, width):
    """*text* cut and padded to *width* terminal columns."""
    out, used = "", 0
    for char in text:
        size = columns(char)
        if used + size > width:
            break
        out, used = out + char, used + size
    return out + " " * (width - used)


def describe(window, gettext):
    """One window (a :class:`hub.wall.Card`) in at most two lines of 80 columns: id, name, who holds it, keypad
    and last sync; then, indented, what needs attention (empty since, handover awaited, alarm, offline, faults)."""
    keypad = gettext(KEYPAD) % {"state": window.keypad_text}
    sync = gettext(SYNC) % {"time": window.last_sync_clock} if window.last_sync_clock else gettext(NEVER_SYNCED)
    head = f"{window.id:<4} {_pad(window.name, 20)} {_pad(window.holder_text, 20)} {_pad(keypad, 15)} {sync}"
    notes = [text for text in (window.empty_text, window.waiting_text, window.alarm and gettext(ALARM),
                               window.offline_text) if text] + window.troubles
    lines = [head.rstrip()]
    if notes:
        lines.append(_pad("     " + " · ".join(notes), WIDTH).rstrip())
    return lines


def render(data, gettext, hall_name):
    """The whole wall (a :class:`hub.wall.Wall`) as text: a title line, each window's lines, the count per state.

    Control characters are stripped from every line: a name or a terminal's fault string holding ESC
    sequences must not clear or repaint the operator's screen.
    """
    lines = [gettext(TITLE) % {"hall": hall_name, "time": data.now_local.replace("T", " ")[:19]}, ""]
    for window in data.windows:
        lines += describe(window, gettext)
    counts = {}
    for window in data.windows:
        counts[window.state] = counts.get(window.state, 0) + 1
    lines += ["", "  ".join(gettext(COUNT) % {"state": gettext(STATE_WORDS[s]), "n": n} for s, n in counts.items())]
    return "\n".join(CONTROL_CHARACTERS.sub("", line) for line in lines) + "\n"


def snapshot(db, clock, gettext, hall=None):
    """The wall's data of *hall* (the first hall by default) at the hub's time *clock()*, read from the
    database *db*, and the hall's name."""
    from .store import Store
    from .wall import snapshot
    with Store.open(db, clock=clock) as store:
        config = store.configs.hall(hall)
        return snapshot(store, config, config.windows, store.now(), gettext), config.name


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
    gettext = translations(args.lang).gettext
    try:
        while True:
            data, hall_name = snapshot(args.db, clock, gettext, getattr(args, "hall", None))
            text = render(data, gettext, hall_name)
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
