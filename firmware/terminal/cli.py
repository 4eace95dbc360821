"""``hallpost terminal …``: run the window terminal, show its status, export its journal, enrol, self-test.

Heavy imports (gpiozero, pyudev, tinydb) happen inside the commands, so ``hallpost --help`` and the hub
work without them.
"""
import json
import logging
import math
import signal
import sys
import threading
import time
from contextlib import ExitStack

from .errors import TerminalError

log = logging.getLogger("hallpost.terminal")
WATCHDOG_DEFAULT_S = 5.0
DEFAULT_CONFIG = "/etc/hallpost/terminal.toml"      # where scripts/install-terminal writes it


def add_parser(subparsers):
    """Register the ``terminal`` command group."""
    group = subparsers.add_parser("terminal", help="the window terminal (Raspberry Pi)")
    commands = group.add_subparsers(dest="terminal_command", required=True)

    run = commands.add_parser("run", help="run the terminal: buttons, lamps, journal, sync")
    _config_arg(run)
    run.add_argument("--pin-factory", choices=("default", "mock"), help="override terminal.pin_factory")
    run.add_argument("--keypad-tty", help="a fixed keypad port (overrides terminal.keypad_tty)")
    run.set_defaults(func=run_terminal)

    status = commands.add_parser("status", help="journal size, unsynced facts, last sync, clock offset")
    _config_arg(status)
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(func=run_status)

    export = commands.add_parser("export", help="write the journal as facts JSON Lines (for hallpost derive)")
    _config_arg(export)
    export.add_argument("--out", help="output file (default: standard output)")
    export.add_argument("--journal", help="another journal directory, e.g. a dead terminal's card mounted here")
    export.set_defaults(func=run_export)

    enrol = commands.add_parser("enrol", help="trade the office's one-time code for this terminal's key")
    _config_arg(enrol)
    enrol.add_argument("--code", required=True, help="the one-time code from the office")
    enrol.add_argument("--hub", help="the hub's URL (default: terminal.hub of the config)")
    enrol.set_defaults(func=run_enrol)

    selftest = commands.add_parser("selftest", help="walk through lamps, buzzer, buttons, keypad, disk, hub")
    _config_arg(selftest)
    selftest.add_argument("--pin-factory", choices=("default", "mock"), help="override terminal.pin_factory")
    selftest.set_defaults(func=run_selftest)


def _config_arg(parser):
    parser.add_argument("--config", default=DEFAULT_CONFIG, help=f"terminal.toml (default {DEFAULT_CONFIG})")


def _fail(command, exc):
    print(f"hallpost terminal {command}: {exc}", file=sys.stderr)
    return 2


def _settings(args):
    from .settings import load_settings
    return load_settings(args.config)


def _pin_factory(name):
    if name == "mock":
        from gpiozero.pins.mock import MockFactory
        return MockFactory()
    return None


def _keypad(settings, tty, config_source, clock=None):
    """The keypad link: a fixed port, or pyudev watching for the Pico; None when switched off."""
    if not settings.keypad and tty is None:
        return None
    from .keypad import KeypadLink
    config = config_source.current()
    window = config.rules.rating_window_s if config else None
    if window is not None and clock is not None:      # the keypad waits in real time; a fast clock shortens it
        window = max(1, math.ceil(clock.real_seconds(window)))
    timing = {"timeout_s": window} if window else {}
    if tty is not None:
        return KeypadLink(**timing)
    return KeypadLink(watcher=_keypad_watcher(settings), **timing)


def _keypad_watcher(settings):
    """The udev watcher for the keypad of the configured USB id and interface."""
    from .keypad_udev import KeypadWatcher, parse_usb_id
    vendor, product = parse_usb_id(settings.keypad_usb_id)
    return KeypadWatcher(vendor_id=vendor, product_id=product, interface=settings.keypad_usb_interface)


def run_terminal(args):
    """``hallpost terminal run``: the systemd service's main loop (READY, then watchdog pings)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from protocol.clock import ClockSpecError
    try:
        settings = _settings(args)
        return _serve(settings, args)
    except (TerminalError, OSError, ClockSpecError) as exc:
        return _fail("run", exc)


def _serve(settings, args):
    from .clock import clock_from_environment
    from .hallconfig import ConfigCache
    from .hublink import HubLink
    from .faults import CLOCK_UNCERTAIN, load_patterns, load_signals
    from .journal import Journal
    from .lamps import Lamps
    from .panel import Panel
    from .pinmap import load_pinmap
    from .sdnotify import SystemdNotifier
    from .sync import SyncClient
    from .terminal import Terminal
    from .virtual import virtual_panel_from_environment

    clock = clock_from_environment()
    factory = args.pin_factory or settings.pin_factory
    tty = args.keypad_tty or settings.keypad_tty
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with ExitStack() as stack:
        panel = stack.enter_context(Panel(load_pinmap(settings.pinmap), pin_factory=_pin_factory(factory)))
        journal = stack.enter_context(Journal(settings.journal, terminal=settings.terminal,
                                              max_bytes=settings.journal_max_mb * 1024 * 1024))
        cache = ConfigCache(settings.config_cache, seed_toml=settings.hall_config)
        hub = None
        if settings.hub_url:
            link = HubLink(url=settings.hub_url, terminal=settings.terminal, key=settings.key(), clock=clock,
                           timeout_s=settings.hub_timeout_s, trust=settings.hub_trust)
            hub = SyncClient(link=link, clock=clock, config_cache=cache, batch_size=settings.batch_size,
                             state_path=settings.status_file)
        keypad = _keypad(settings, tty, cache, clock)
        lamps = Lamps(panel, patterns=load_patterns(settings.faults) if settings.faults else None,
                      signals=load_signals(settings.faults) if settings.faults else None)
        terminal = Terminal(panel=panel, journal=journal, config_source=cache, clock=clock, keypad=keypad,
                            hub=hub, lamps=lamps)
        stack.callback(terminal.close)
        terminal.start()
        if CLOCK_UNCERTAIN in terminal.faults():
            terminal.submit(lambda: lamps.boot_signal(time.sleep, lamps.signals[CLOCK_UNCERTAIN]))
        if tty is not None:
            keypad.attach(tty)
        virtual = virtual_panel_from_environment(panel, terminal)
        if virtual is not None:
            stack.enter_context(virtual.start())
        notifier = stack.enter_context(SystemdNotifier())
        notifier.ready(f"window terminal {settings.terminal} running")
        log.info("terminal %s running (journal %s, hub %s)", settings.terminal, settings.journal,
                 settings.hub_url or "none")
        return _watch(terminal, notifier, stop)


def _watch(terminal, notifier, stop):
    """Ping the watchdog while the owner thread answers; end when told to or when the owner failed."""
    interval = min(notifier.ping_interval_s or WATCHDOG_DEFAULT_S, WATCHDOG_DEFAULT_S)
    while not stop.wait(interval):
        if terminal.failure is not None:
            log.error("terminal failed: %s", terminal.failure)
            return 1
        try:
            terminal.settle(timeout=interval)
        except TimeoutError:
            log.error("the terminal's owner thread did not answer within %.1f s", interval)
            continue
        notifier.ping()
    notifier.stopping()
    return 0


def run_status(args):
    """``hallpost terminal status``: what the running terminal last wrote, else read from the journal."""
    try:
        settings = _settings(args)
        status = _status(settings)
    except (TerminalError, OSError, ValueError) as exc:
        return _fail("status", exc)
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=1))
        return 0
    rows = [("terminal", status.get("terminal")), ("journal bytes", status.get("journal_bytes")),
            ("unsynced facts", status.get("unsynced")), ("last sync", status.get("last_sync") or "never"),
            ("clock offset s", status.get("clock_offset_s")), ("faults", ", ".join(status.get("faults", []))
                                                                 or "none")]
    for name, value in rows:
        print(f"{name:15} {value}")
    return 0


def _status(settings):
    if settings.status_file.exists():
        return json.loads(settings.status_file.read_text(encoding="utf-8"))
    from .journal import Journal
    with Journal(settings.journal, terminal=settings.terminal, read_only=True) as journal:
        return {"terminal": settings.terminal, "journal_bytes": journal.size_bytes,
                "unsynced": journal.unsynced_count, "last_sync": None, "clock_offset_s": None, "faults": []}


def run_export(args):
    """``hallpost terminal export``: the journal's facts as JSON Lines (a snapshot; the service may run)."""
    from .journal import Journal
    try:
        settings = _settings(args)
        with Journal(args.journal or settings.journal, terminal=settings.terminal, read_only=True) as journal, \
                ExitStack() as stack:
            out = stack.enter_context(open(args.out, "w", encoding="utf-8")) if args.out else sys.stdout
            count = journal.export(out)
    except (TerminalError, OSError) as exc:
        return _fail("export", exc)
    print(f"{count} facts", file=sys.stderr)
    return 0


def run_enrol(args):
    """``hallpost terminal enrol``: store the key the hub grants for the office's one-time code.

    A wiped terminal's fresh journal then numbers its facts after those the hub already holds.
    """
    from .enrol import continue_journal, enrol
    from .errors import JournalLocked
    try:
        settings = _settings(args)
        hub_url = args.hub or settings.hub_url
        if not hub_url:
            raise TerminalError("terminal.hub: needed to enrol (or give --hub)")
        granted = enrol(hub_url, args.code, settings.key_file, terminal_id=settings.terminal,
                        trust=settings.hub_trust)
    except (TerminalError, OSError) as exc:
        return _fail("enrol", exc)
    print(f"enrolled {granted.terminal}; key written to {granted.key_path}")
    try:
        resumed = continue_journal(settings.journal, settings.terminal, granted.acked)
    except JournalLocked:
        return _fail("enrol", f"the hub already holds facts up to seq {granted.acked} of {granted.terminal}, "
                              f"more than the journal {settings.journal}, which the running service holds: stop "
                              "hallpost-terminal and enrol again with a new code")
    except (TerminalError, OSError) as exc:
        return _fail("enrol", exc)
    if resumed is not None:
        print(f"the hub holds facts up to seq {granted.acked}: this journal continues at seq {resumed}")
    return 0


def run_selftest(args):
    """``hallpost terminal selftest``: the installer's walk through every part."""
    from .selftest import find_pico_keypad, run_selftest as selftest
    try:
        settings = _settings(args)
        watcher = _keypad_watcher(settings)
        return selftest(settings.pinmap, journal_dir=settings.journal, hub_url=settings.hub_url,
                        pin_factory=_pin_factory(args.pin_factory or settings.pin_factory),
                        find_keypad=lambda: find_pico_keypad(watcher), trust=settings.hub_trust)
    except (TerminalError, OSError) as exc:
        return _fail("selftest", exc)


