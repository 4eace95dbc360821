"""``hallpost hub``: set up the hub's database, serve it (and its background work, in the serving process or
alone), issue enrolment codes, import exported journals."""
import signal
import threading
from contextlib import ExitStack, contextmanager

from protocol.config import config_to_dict, load_config
from protocol.errors import ConfigError

from . import serving
from .cli_refusals import add_database_argument, fail, private_database

DEFAULT_PORT = 8080
# ``hub serve`` options that set the app's config when given (else the app's own default holds).
APP_SETTINGS = {"future_allowance": "FUTURE_ALLOWANCE_S", "session_idle_minutes": "ADMIN_SESSION_IDLE_MINUTES",
                "session_max_hours": "ADMIN_SESSION_MAX_HOURS", "display_idle_hours": "ADMIN_DISPLAY_IDLE_HOURS",
                "display_max_days": "ADMIN_DISPLAY_MAX_DAYS"}


def add_background_arguments(parser):
    """``--derive-every`` and ``--alert-every`` of the commands that run the hub's background work."""
    parser.add_argument("--derive-every", type=float, default=5.0, metavar="SECONDS",
                        help="re-derive touched window-days in the background this often (0: only on read)")
    parser.add_argument("--alert-every", type=float, default=1.0, metavar="SECONDS",
                        help="evaluate the halls' alert rules in the background this often (0: never); each change "
                             "goes to the notification outbox, delivered by this process's worker")


def add_parser(subparsers):
    """Register ``hallpost hub init|serve|background|enrol-code|import|repair-terminal|wall|audit|user|hall|migrate|
    notify``."""
    hub = subparsers.add_parser("hub", help="the hall office's hub")
    commands = hub.add_subparsers(dest="hub_command", required=True)
    init = commands.add_parser("init", help="create the database, load the hall config, add the first office user")
    add_database_argument(init, "the database (a SQLite file is created)")
    init.add_argument("--config", required=True, help="hall.toml")
    init.add_argument("--user", default="office", help="the first office account (default: office)")
    init.add_argument("--password-file", help="read the password from this file (else it is asked)")
    init.set_defaults(func=run_init)
    serve = commands.add_parser("serve", help="serve the hub with waitress")
    add_database_argument(serve)
    serve.add_argument("--config", help="hall.toml, loaded only if the database has no config yet")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--threads", type=int, default=8)
    serving.add_arguments(serve)
    serve.add_argument("--future-allowance", type=float, metavar="SECONDS",
                       help="refuse clock anchors more than this far ahead of the hub's time (default 120)")
    add_background_arguments(serve)
    serve.add_argument("--public-url", metavar="URL",
                       help="the hub's address as the office opens it, for the links in notifications "
                            "(default http://HOST:PORT)")
    serve.add_argument("--session-idle-minutes", type=serving.positive, metavar="MINUTES",
                       help="log an office user out after this long without activity (default 30)")
    serve.add_argument("--session-max-hours", type=serving.positive, metavar="HOURS",
                       help="log an office user out this long after logging in, whatever the activity (default 12)")
    serve.add_argument("--display-idle-hours", type=serving.positive, metavar="HOURS",
                       help="log a display account (the hall's big screen) out after this long without a request; "
                            "its wall's polling keeps it alive (default 72)")
    serve.add_argument("--display-max-days", type=serving.positive, metavar="DAYS",
                       help="log a display account out this long after logging in (default 30)")
    serve.set_defaults(func=run_serve)
    work = commands.add_parser("background", help="do serve's background work alone (derivation, alert rules, "
                               "notifications): run beside `hub serve --derive-every 0 --alert-every 0` processes")
    add_database_argument(work)
    add_background_arguments(work)
    work.add_argument("--public-url", required=True, metavar="URL",
                      help="the hub's address as the office opens it, for the links in notifications")
    work.set_defaults(func=run_background)
    code = commands.add_parser("enrol-code", help="print a one-time code that enrols a window's terminal")
    add_database_argument(code)
    code.add_argument("--window", required=True, help="window id, e.g. w03")
    code.add_argument("--hall", help="the window's hall id (default: the hub's first hall)")
    code.set_defaults(func=run_enrol_code)
    load = commands.add_parser("import", help="store facts exported from a terminal's journal (a dead terminal's card)")
    add_database_argument(load)
    load.add_argument("facts", nargs="+", metavar="FACTS.jsonl", help="written by `hallpost terminal export`")
    load.set_defaults(func=run_import)
    repair = commands.add_parser("repair-terminal", help="undo a terminal's clock anchors that ran ahead of the hub: "
                                 "re-time its facts, recompute its reported-up-to, re-derive the days it touched")
    add_database_argument(repair)
    repair.add_argument("--terminal", required=True, help="terminal id, e.g. win-03")
    repair.set_defaults(func=run_repair_terminal)
    from . import wall_text
    wall = commands.add_parser("wall", help="print the live wall as text, refreshed every second")
    wall_text.add_arguments(wall)
    wall.set_defaults(func=private_database(wall_text.run))
    from . import cli_accounts, cli_evaluations, cli_halls, cli_migrate, cli_notify
    cli_accounts.add_parsers(commands)
    cli_evaluations.add_parsers(commands)
    cli_halls.add_parsers(commands)
    cli_migrate.add_parsers(commands)
    cli_notify.add_parsers(commands)


@private_database
def run_init(args):
    """Create the database, store the hall config as version 1, create the first office account."""
    from .cli_accounts import read_password
    from .passwords import check_policy
    from .store import Store
    from .store.database import shown
    try:
        with open(args.config, encoding="utf-8") as f:
            document = config_to_dict(load_config(f.read()))
        password = read_password(args.password_file)
        check_policy(password, args.user)
    except (OSError, ConfigError, ValueError) as exc:
        return fail(str(exc))
    with Store.open(args.db) as store:
        if store.configs.current() is not None:
            return fail(f"{shown(args.db)}: already initialised (config version {store.configs.current()[2]})")
        version = store.configs.save(document, "init")
        store.users.create(args.user, password, "office")
        store.audit.add("init", "create office account", {"username": args.user})
    print(f"initialised {shown(args.db)}: hall config version {version}, office account {args.user!r}")
    return 0


@private_database
def run_serve(args):
    """Serve the hub (terminal API and admin pages) with waitress until interrupted."""
    import waitress

    from protocol.clock import ClockSpecError

    from . import create_app
    from .slots import Slots
    settings = {"DATABASE": args.db, "HALL_CONFIG": args.config, "TRUSTED_PROXIES": args.trusted_proxies,
                "MAX_CONTENT_LENGTH": args.max_body_bytes, "WALL_STREAMS": args.wall_streams}
    settings.update({name: getattr(args, option) for option, name in APP_SETTINGS.items()
                     if getattr(args, option) is not None})
    serving.size_database_pool(args)         # before create_app opens the pool
    try:
        app = create_app(settings)
    except ClockSpecError as exc:
        return fail(f"serve: {exc}")
    options = serving.waitress_options(args)
    serving.settle_memory()
    print(f"hub serving http://{args.host}:{args.port}/", flush=True)
    with background_loops(args, app.config["CLOCK"], args.public_url or f"http://{args.host}:{args.port}"):
        waitress.serve(Slots(app, args.threads), **options)
    return 0


@contextmanager
def background_loops(args, clock, base_url):
    """The deriver (every ``--derive-every`` s), the alert rules (every ``--alert-every`` s) and the notification
    worker delivering their changes (links under *base_url*), each a thread of this process, while inside."""
    from .alerting import Alerting
    from .deriver import Deriver
    from .notify.sink import OutboxSink
    from .notify.worker import DeliveryWorker
    with ExitStack() as background:
        if args.derive_every > 0:
            background.enter_context(Deriver(args.db, clock=clock, interval_s=args.derive_every))
        if args.alert_every > 0:
            notifier = background.enter_context(DeliveryWorker(args.db, clock=clock, base_url=base_url))
            background.enter_context(Alerting(args.db, clock=clock, interval_s=args.alert_every,
                                              sink_for=lambda store: OutboxSink(store, wake=notifier.wake)))
        yield


@private_database
def run_background(args):
    """Run the background work of ``hub serve`` alone, until interrupted (SIGINT or SIGTERM)."""
    from .clock import clock_from_environment
    from .store import Store
    from .store.database import shown
    with Store.open(args.db):           # the schema migrated before the loops open their connections
        pass
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(f"hub background work on {shown(args.db)}", flush=True)
    with background_loops(args, clock_from_environment(), args.public_url):
        stop.wait()
    return 0


@private_database
def run_enrol_code(args):
    """Print a one-time enrolment code for the terminal of ``--window`` (of ``--hall``)."""
    from .store import Store
    with Store.open(args.db) as store:
        try:
            code = store.terminals.new_enrolment_code(args.window, "cli", hall=args.hall)
        except LookupError as exc:
            return fail(str(exc))
    print(code)
    return 0


@private_database
def run_import(args):
    """Store the facts of exported journals exactly once (all files or nothing) and say what was new."""
    from protocol.cli import read_facts
    from protocol.errors import ProtocolError

    from .store import Store, StoreError
    try:
        facts = [fact for path in args.facts for fact in read_facts(path)]
        with Store.open(args.db) as store:
            held = store.facts.import_facts(facts, "cli")
    except (OSError, ProtocolError, StoreError) as exc:
        return fail(f"import: {exc}; nothing was stored")
    for terminal, (new, acked) in held.items():
        print(f"{terminal}: {new} new facts, held up to seq {acked}")
    return 0


@private_database
def run_repair_terminal(args):
    """Repair a terminal whose clock anchors ran ahead of the hub, re-derive what it touched, say what changed."""
    from .deriver import catch_up
    from .store import Store, StoreError
    with Store.open(args.db) as store:
        try:
            done = store.repair.terminal(args.terminal, "cli")
        except (StoreError, LookupError) as exc:
            return fail(f"repair-terminal: {exc}")
        derived = catch_up(store, window=done["window"], hall=store.terminals.get(args.terminal)["hall"])
    print(f"{done['terminal']}: {done['anchors_dropped']} clock anchors after the hub's time dropped, "
          f"{done['facts_untimed']} facts no longer timed; reported up to {done['reported_to'] or 'nothing'} "
          f"(was {done['was_reported_to'] or 'nothing'}); {done['days_forgotten']} days to come forgotten, "
          f"{derived} window-days re-derived")
    return 0
