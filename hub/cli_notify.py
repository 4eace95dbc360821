"""``hallpost hub notify``: the receivers of alert notifications (robot URLs, secrets, SMTP) and their routes.

Secrets are hub settings, kept in the hub's database, never in a hall's config (terminals read it): a
receiver's settings come from a JSON file (or stdin), never the command line, and are shown back masked.
"""
import json
import sys

from .cli_refusals import add_database_argument, fail, private_database

SETTINGS_HELP = ("JSON object of the receiver's settings, '-' for stdin: wecom {url}; dingtalk {url, secret}; "
                 "webhook {url, secret}; email {host, port, from, to, starttls, username, password}")


def add_parsers(commands):
    """Register ``notify`` under ``hallpost hub``."""
    notify = commands.add_parser("notify", help="alert notifications: receivers and routes")
    actions = notify.add_subparsers(dest="notify_command", required=True)
    add = actions.add_parser("add-receiver", help="add a receiver: a 企业微信 or 钉钉 robot, a webhook, an email")
    add_database_argument(add)
    add.add_argument("name", help="the receiver's name, e.g. office-wecom")
    add.add_argument("--kind", required=True, choices=("wecom", "dingtalk", "webhook", "email"))
    add.add_argument("--settings", required=True, metavar="FILE", help=SETTINGS_HELP)
    add.add_argument("--language", default="zh", choices=("zh", "en"), help="the messages' language (default zh)")
    add.set_defaults(func=run_add_receiver)
    remove = actions.add_parser("remove-receiver", help="remove a receiver, its routes and its unsent messages")
    add_database_argument(remove)
    remove.add_argument("name")
    remove.set_defaults(func=run_remove_receiver)
    route = actions.add_parser("add-route", help="send a receiver the alerts of a hall, department and kinds")
    add_database_argument(route)
    route.add_argument("receiver", help="the receiver's name")
    route.add_argument("--hall", help="only this hall's alerts (default: every hall)")
    route.add_argument("--department", help="only the alerts of this department's windows (its group leader)")
    route.add_argument("--kind", action="append", default=[], help="only this alert kind (repeatable)")
    route.add_argument("--repeat", default="4h", help="re-notify an incident still firing this often (default 4h)")
    route.add_argument("--quiet", metavar="HH:MM-HH:MM",
                       help="local quiet hours: held until they end, e.g. 22:00-07:00")
    route.set_defaults(func=run_add_route)
    unroute = actions.add_parser("remove-route", help="remove a route by its id")
    add_database_argument(unroute)
    unroute.add_argument("id", type=int)
    unroute.set_defaults(func=run_remove_route)
    listing = actions.add_parser("list", help="print the receivers (settings masked, health) and the routes")
    add_database_argument(listing)
    listing.set_defaults(func=run_list)


def _settings(path):
    """The receiver settings in the JSON file at *path* ('-': stdin)."""
    if path == "-":
        text = sys.stdin.read()
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    settings = json.loads(text)
    if not isinstance(settings, dict):
        raise ValueError(f"settings: {path} does not hold a JSON object")
    return settings


@private_database
def run_add_receiver(args):
    """Add a receiver from its settings file."""
    from .notify.receivers import checked_settings
    from .store import Store
    try:
        settings = checked_settings(args.kind, _settings(args.settings))
        with Store.open(args.db) as store:
            store.notify.add_receiver(args.name, args.kind, settings, args.language, "cli")
    except (OSError, ValueError) as exc:
        return fail(f"add-receiver: {exc}; nothing was stored")
    print(f"added receiver {args.name!r} ({args.kind})")
    return 0


@private_database
def run_remove_receiver(args):
    """Remove a receiver."""
    from .store import Store
    with Store.open(args.db) as store:
        try:
            store.notify.remove_receiver(args.name, "cli")
        except LookupError as exc:
            return fail(f"remove-receiver: {exc}")
    print(f"removed receiver {args.name!r}")
    return 0


@private_database
def run_add_route(args):
    """Add a route to a receiver."""
    from .notify import validate
    from .store import Store
    with Store.open(args.db) as store:
        try:
            route = validate.route(receiver=args.receiver, halls={h["id"] for h in store.configs.halls()},
                                   hall=args.hall, department=args.department, kinds=args.kind,
                                   repeat=args.repeat, quiet=args.quiet)
            number = store.notify.add_route(route, "cli")
        except (LookupError, ValueError) as exc:
            return fail(f"add-route: {exc}; nothing was stored")
    print(f"added route {number} to {args.receiver!r}")
    return 0


@private_database
def run_remove_route(args):
    """Remove a route."""
    from .store import Store
    with Store.open(args.db) as store:
        try:
            store.notify.remove_route(args.id, "cli")
        except LookupError as exc:
            return fail(f"remove-route: {exc}")
    print(f"removed route {args.id}")
    return 0


@private_database
def run_list(args):
    """Print each receiver (settings masked) with its health, then each route."""
    from .notify.receivers import masked
    from .store import Store
    with Store.open(args.db) as store:
        receivers, routes = store.notify.receivers(), store.notify.routes()
    for r in receivers:
        counts = " ".join(f"{status} {n}" for status, n in sorted(r["counts"].items())) or "no messages"
        print(f"receiver {r['id']}\t{r['kind']}\t{json.dumps(masked(r['kind'], r['settings']), ensure_ascii=False)}"
              f"\tlast success {r['last_success'] or '-'}\tlast error {r['last_error'] or '-'}\t{counts}")
    for r in routes:
        quiet = f"{r['quiet_from']}-{r['quiet_until']}" if r["quiet_from"] else "-"
        print(f"route {r['id']}\t{r['receiver']}\thall {r['hall'] or '*'}\tdepartment {r['department'] or '*'}"
              f"\tkinds {' '.join(r['kinds']) or '*'}\trepeat {r['repeat_s']} s\tquiet {quiet}")
    return 0
