"""``hallpost hub audit verify|purge`` and ``hallpost hub user add|password``: the review's and the office's tools."""
import getpass

from .cli_refusals import add_database_argument, fail, private_database


def read_password(path):
    """A password: from *path* (first line), or asked twice on the terminal."""
    if path:
        with open(path, encoding="utf-8") as f:
            return f.readline().rstrip("\r\n")
    first = getpass.getpass("password for the account: ")
    if first != getpass.getpass("again: "):
        raise ValueError("password: the two entries differ")
    return first


def add_parsers(commands):
    """Register ``audit`` and ``user`` under ``hallpost hub``."""
    audit = commands.add_parser("audit", help="check or trim the audit log")
    actions = audit.add_subparsers(dest="audit_command", required=True)
    verify = actions.add_parser("verify", help="check the audit log's hash chain; exit 1 at the first broken link")
    add_database_argument(verify)
    verify.set_defaults(func=run_verify)
    purge = actions.add_parser("purge", help="delete audit entries more than 181 days old (the purge is recorded)")
    add_database_argument(purge)
    purge.set_defaults(func=run_purge)
    user = commands.add_parser("user", help="office accounts")
    user_actions = user.add_subparsers(dest="user_command", required=True)
    add = user_actions.add_parser("add", help="add an account with a role (display: the hall's big screen)")
    add_database_argument(add)
    add.add_argument("--user", required=True, help="the account's user name")
    add.add_argument("--role", required=True, help="office, viewer, leader, auditor or display")
    add.add_argument("--department", help="a viewer's, leader's or display's department (default: all windows)")
    add.add_argument("--hall", help="the account's hall id (default: the center, every hall)")
    add.add_argument("--display-name", help="the name shown for the account")
    add.add_argument("--password-file", help="read the password from this file (else it is asked)")
    add.set_defaults(func=run_add)
    password = user_actions.add_parser("password", help="set an account's password (ends its sessions, lifts its lockout)")
    add_database_argument(password)
    password.add_argument("--user", required=True, help="the account's user name")
    password.add_argument("--password-file", help="read the password from this file (else it is asked)")
    password.set_defaults(func=run_password)


@private_database
def run_verify(args):
    """Print whether every link of the audit chain holds; exit 1 naming the first broken row."""
    from .store import Store
    from .store.audit import PROBLEMS
    with Store.open(args.db) as store:
        rows = store.audit.size()
        broken = store.audit.verify()
    if broken is not None:
        print(f"audit log broken at row {broken[0]}: {PROBLEMS[broken[1]]}")
        return 1
    print(f"audit log intact: {rows} rows")
    return 0


@private_database
def run_purge(args):
    """Delete the audit entries past the retention (180 days and a day's margin) and say how many."""
    from .store import Store
    with Store.open(args.db) as store:
        print(f"purged {store.audit.purge('cli')} audit entries")
    return 0


@private_database
def run_add(args):
    """Add the account ``--user`` with ``--role``, its password from a file or the terminal (audited)."""
    from . import passwords
    from .admin.auth import ROLES
    from .store import Store
    if args.role not in ROLES:
        return fail(f"role: {args.role!r} is not one of {', '.join(ROLES)}")
    try:
        password = read_password(args.password_file)
        passwords.check_policy(password, args.user)
    except (OSError, ValueError) as exc:
        return fail(str(exc))
    with Store.open(args.db) as store:
        if store.users.by_name(args.user) is not None:
            return fail(f"user: an account {args.user!r} exists already")
        if args.hall is not None and args.hall not in {hall["id"] for hall in store.configs.halls()}:
            return fail(f"hall: no hall {args.hall!r} in this hub")
        store.users.add(args.user, passwords.hash_password(password), args.role, department=args.department,
                        display_name=args.display_name, hall=args.hall)
        store.audit.add("cli", "add user", {"username": args.user, "role": args.role, "department": args.department,
                                            "display_name": args.display_name}, hall=args.hall)
    print(f"account {args.user!r} added with role {args.role}")
    return 0


@private_database
def run_password(args):
    """Set ``--user``'s password from a file or the terminal, after the password policy."""
    from . import passwords
    from .store import Store
    try:
        password = read_password(args.password_file)
        passwords.check_policy(password, args.user)
    except (OSError, ValueError) as exc:
        return fail(str(exc))
    with Store.open(args.db) as store:
        user = store.users.by_name(args.user)
        if user is None:
            return fail(f"user: no account {args.user!r}")
        store.accounts.set_password_hash(user["id"], passwords.hash_password(password))
        store.accounts.clear_failures("account", args.user)
        store.audit.add("cli", "reset password", {"user": args.user})
    print(f"password of {args.user!r} set; its sessions have ended")
    return 0
