"""``hallpost demo``: a hub and a hall of simulated window terminals, for a browser, until Ctrl-C."""
import logging
import os
import shlex
import signal
import sys
import tempfile
import threading
import webbrowser
from datetime import date, datetime, timedelta

DEMO_DAY = date(2026, 11, 24)       # the example hall's day: a leave, a permit
DEFAULT_PORT = 8080


def add_parser(subparsers):
    """Register ``hallpost demo``."""
    demo = subparsers.add_parser("demo", help="run a hub and a simulated hall of window terminals (Ctrl-C stops)")
    demo.add_argument("--port", type=int, default=DEFAULT_PORT,
                      help=f"the hub's port on 127.0.0.1 (default {DEFAULT_PORT})")
    demo.add_argument("--windows", type=int, default=8, help="simulated windows (default 8)")
    demo.add_argument("--speed", type=float, default=60.0, help="simulated seconds per real second (default 60)")
    demo.add_argument("--no-browser", action="store_true", help="do not open the admin page in a browser")
    demo.add_argument("--workdir", help="keep the hub database, journals and logs here (default: a temp dir)")
    demo.set_defaults(func=run_demo)


def run_demo(args):
    """Start the simulated hall, print where to look, play working days until interrupted."""
    from .hall import Hall
    from .processes import ChildFailed
    from .run import DAY_BEGINS
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.windows < 1 or args.speed <= 0:
        print("hallpost demo: --windows must be at least 1 and --speed positive", file=sys.stderr)
        return 2
    workdir = args.workdir or tempfile.mkdtemp(prefix="hallpost-demo-")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.default_int_handler)      # Ctrl-C, even if started with it ignored
    print(f"starting a hub and {args.windows} window terminals in {workdir} …", flush=True)
    hall = Hall(workdir, windows=args.windows, speed=args.speed, begin=datetime.combine(DEMO_DAY, DAY_BEGINS),
                port=args.port)
    try:
        hall.start()
        _announce(hall, args)
        if not args.no_browser and _has_display():
            webbrowser.open(hall.hub.url + "/admin/wall")
        _play(hall, stop)
    except KeyboardInterrupt:
        pass
    except ChildFailed as exc:
        print(f"hallpost demo: {exc}", file=sys.stderr)
        return 1
    finally:
        stop.set()                      # the window lanes stop before their terminals do
        print("\nstopping the simulated hall …", flush=True)
        hall.close()
    return 0


def _has_display():
    """True where a graphical browser can open (never a text browser taking over this terminal)."""
    return sys.platform == "darwin" or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _announce(hall, args):
    url, user, password = hall.login()
    keypads = {sim.keypad.label for sim in hall.windows.values()}
    clock = " ".join(f"{name}={shlex.quote(value)}" for name, value in hall.timeline.environment().items())
    print(f"""
HallPost demo: {len(hall.windows)} windows, simulated time ×{args.speed:g} from {hall.begin:%Y-%m-%d %H:%M}
  admin (live wall): {hall.hub.url}/admin/wall
  login:             {url}   user {user}   password {password}
  keypads:           {', '.join(sorted(keypads))}
  text wall:         {clock} hallpost hub wall --db {hall.hub.db}
  logs:              {hall.workdir / 'logs'}
Each day: sign-ins (some late), A→B handovers, a window left empty, ratings (some bad); one terminal's
network is cut 09:40–10:00 (the wall shows it unknown, then it heals) and one is killed at 11:15.
Ctrl-C stops everything.
""", flush=True)


def _play(hall, stop):
    """Play the demo day, then the following working days, until *stop* or Ctrl-C."""
    from .run import DAY_ENDS, scenario
    day, n = DEMO_DAY, 0
    while not stop.is_set():
        if hall.config.is_workday(day):
            print(f"simulating {day:%A %Y-%m-%d} …", flush=True)
            hall.play(scenario(hall.config, [day], rotate=n), until=datetime.combine(day, DAY_ENDS, hall.config.tz),
                      stop=stop)
            for step, problem in hall.errors[-5:]:
                print(f"  step {step.action} at {step.window} {step.at:%H:%M} failed: {problem}", file=sys.stderr)
            hall.errors.clear()
            n += 1
        day += timedelta(days=1)
