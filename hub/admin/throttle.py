"""Failed passwords: counted per account name and per client address, locked out with backoff, audited."""
import math

from flask import request

from .context import store
from .extensions import security_now

NAME_LENGTH = 64


def keys(username):
    """The (scope, key) pairs a password attempt for *username* counts against."""
    return (("account", username[:NAME_LENGTH]), ("address", request.remote_addr or "-"))


def locked_minutes(username):
    """The whole minutes left of the longest lock on *username* or this address; 0 when neither is locked."""
    moment = security_now()
    ends = [until for scope, key in keys(username) if (until := store().accounts.locked_until(scope, key, moment))]
    return math.ceil((max(ends) - moment).total_seconds() / 60) if ends else 0


def failed(username, reason):
    """Count a wrong password for *username* from this address; audit it and any lock it starts."""
    moment, locks = security_now(), {}
    for scope, key in keys(username):
        until = store().accounts.record_failure(scope, key, moment)
        if until is not None:
            locks[scope] = until.isoformat()
    detail = {"address": request.remote_addr, "reason": reason}
    if locks:
        detail["locked_until"] = locks
    store().audit.add(username[:NAME_LENGTH] or "-", "login failed", detail)


def succeeded(username):
    """Forget the account's failed passwords after a right one (the address keeps its count)."""
    store().accounts.clear_failures("account", username[:NAME_LENGTH])
