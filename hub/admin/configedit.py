"""Office edits to the hall config: each one is saved by the store as a new version (which re-derives)."""
from datetime import datetime

from flask import abort, flash, g

from protocol.config import config_to_dict
from protocol.errors import ConfigError
from protocol.facts import EARLIEST, LATEST

from .context import hall, store
from .i18n import t
from .periods import FIRST_DAY, LAST_DAY


def save(change, action, detail):
    """Apply *change* (edits the config document), save it as a new version; on error flash and return None."""
    # The store audits the save itself; *action* and *detail* record the office's intent next to it.
    document = config_to_dict(hall())
    change(document)
    try:
        version = store().configs.save(document, g.user["username"])
    except ConfigError as exc:
        flash(f"{t('bad_input')}: {exc}")
        return None
    store().audit.add(g.user["username"], action, dict(detail, version=version))
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
