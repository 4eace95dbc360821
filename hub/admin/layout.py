"""What every admin template gets: the words of the hall's values, the language, the menu, the halls a center
user may choose from (none in a hub of one hall), and Flask-WTF's csrf_token."""
from flask import g, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from .. import formats
from ..passwords import MIN_LENGTH
from . import terms
from .blueprint import bp
from .context import hall
from .i18n import current_language

STAFF = ("office", "viewer", "leader")
PRINTED = ("1", "week", "month")     # ?print=: the whole page, or one of the reports' two forms
# The menu's words are short (context "menu"): in English the whole menu fits one line at 1366 px.
NAV = (("admin.wall", _l("Live wall"), STAFF), ("admin.attendance", _l("Attendance"), STAFF),
       ("admin.alerts", _l("Alerts"), STAFF),
       ("admin.violations", lazy_pgettext("menu", "Violations"), STAFF), ("admin.handovers", _l("Handovers"), STAFF),
       ("admin.inspections", _l("Inspections"), STAFF), ("admin.ratings", lazy_pgettext("menu", "Ratings"), STAFF),
       ("admin.leave", lazy_pgettext("menu", "Leave"), STAFF), ("admin.overtime", _l("Overtime"), STAFF),
       ("admin.reports", _l("Reports"), STAFF), ("admin.charts", _l("Charts"), STAFF),
       ("admin.setup", _l("Setup"), ("office",)), ("admin.audit_log", _l("Audit log"), ("office", "auditor")))


@bp.app_template_filter("local")
def local_filter(value):
    """Template filter: an ISO time (any offset) as the hall's local "YYYY-MM-DD HH:MM:SS"."""
    return formats.local(value, hall().tz)


@bp.app_template_filter("duration")
def duration_filter(seconds):
    """Template filter: :func:`hub.formats.duration` in the reader's language."""
    return formats.duration(seconds, gettext)


@bp.app_template_filter("clock")
def clock_filter(value):
    """Template filter: :func:`hub.formats.clock`."""
    return formats.clock(value)


@bp.app_context_processor
def layout():
    """Template globals of the admin pages (also of an error page at an address no admin view serves)."""
    user = g.get("user")
    nav = [(endpoint, label) for endpoint, label, allowed in NAV if user and user["role"] in allowed]
    halls = getattr(g, "halls", [])
    if user and user["role"] == "office" and user["hall"] is None and len(halls) > 1:
        nav.insert(0, ("admin.center_wall", _l("Center wall")))
    return {"terms": terms, "lang": current_language(), "nav": nav, "min_password": MIN_LENGTH,
            "print_view": request.args.get("print") in PRINTED,
            "hall_choices": halls if user and user["hall"] is None and len(halls) > 1 else []}
