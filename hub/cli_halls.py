"""``hallpost hub hall add|list``: the halls of a hub (a center's hub holds several, each with its own config)."""
from .cli_refusals import add_database_argument, fail, private_database


def add_parsers(commands):
    """Register ``hall`` under ``hallpost hub``."""
    hall = commands.add_parser("hall", help="the halls of this hub")
    actions = hall.add_subparsers(dest="hall_command", required=True)
    add = actions.add_parser("add", help="add a hall from its hall.toml (its [hall] id new to the hub)")
    add_database_argument(add)
    add.add_argument("--config", required=True, help="the new hall's hall.toml, with its [hall] id")
    add.set_defaults(func=run_add)
    listing = actions.add_parser("list", help="print the halls: id, windows, config version, name")
    add_database_argument(listing)
    listing.set_defaults(func=run_list)


@private_database
def run_add(args):
    """Add the hall of ``--config`` to an initialised hub."""
    from protocol.config import config_to_dict, load_config
    from protocol.errors import ConfigError

    from .store import Store
    from .store.database import shown
    try:
        with open(args.config, encoding="utf-8") as f:
            document = config_to_dict(load_config(f.read()))
    except (OSError, ConfigError) as exc:
        return fail(str(exc))
    with Store.open(args.db) as store:
        if not store.configs.halls():
            return fail(f"{shown(args.db)}: not initialised (run `hallpost hub init` first)")
        try:
            hall = store.configs.add_hall(document, "cli")
        except ConfigError as exc:
            return fail(f"hall add: {exc}; nothing was stored")
    print(f"added hall {hall!r} ({document['hall']['name']}): {len(document['windows'])} windows")
    return 0


@private_database
def run_list(args):
    """Print one line per hall."""
    from .store import Store
    with Store.open(args.db) as store:
        for hall in store.configs.halls():
            config, _, version, _ = store.configs.current(hall["id"])
            print(f"{hall['id']}\t{len(config.windows)} windows\tconfig version {version}\t{hall['name']}")
    return 0
