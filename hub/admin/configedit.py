"""Office edits to the hall config: each one is saved by the store as a new version (which re-derives);
the forms and pending requests (leave, overtime) that lead to one."""
from datetime import datetime

from flask import abort, flash, g, request
from flask_babel import gettext as _

from protocol.config import config_to_dict
from protocol.errors import ConfigError
from protocol.facts import EARLIEST, LATEST

from .context import hall, store
from .periods import FIRST_DAY, LAST_DAY


def save(change, action, detail):
    """Apply *change* (edits the config document), save it as a new version; on error flash and return None."""
    # The store audits the save itself; *action* and *detail* record the office's intent next to it.
    document = config_to_dict(hall())
    change(document)
    try:
        version = store().configs.save(document, g.user["username"], g.hall)
    except ConfigError as exc:
        flash(f"{_('Invalid input')}: {exc}")
        return None
    store().audit.add(g.user["username"], action, dict(detail, version=version), hall=g.hall)
    return version


def local_time(value, field):
    """A ``datetime-local`` form value (or ISO with offset) as an aware time in the hall's zone (400 if bad)."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        abort(400, description=f"{field}: not a date and time: {value!r}")
    moment = moment if moment.tzinfo else moment.replace(tzinfo=hall().tz)
    if not EARLIEST <= moment < LATEST:
        abort(400, description=f"{field}: {value!r} is outside {FIRST_DAY.isoformat()}..{LAST_DAY.isoformat()}")
    return moment


def form_span():
    """The form's ``from`` and ``to`` as aware times in the hall's zone (400 naming the field if either is bad)."""
    return local_time(request.form.get("from"), "from"), local_time(request.form.get("to"), "to")


def pending(row, kind, request_id, may_see):
    """A *kind* request's *row* if it exists (404), *may_see(row)* lets the user at it, and it is undecided (409)."""
    if row is None:
        abort(404)
    may_see(row)
    if row["status"] != "pending":
        abort(409, description=f"{kind} request {request_id} is already {row['status']}")
    return row
