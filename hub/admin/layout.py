"""What every admin template gets: the translation, the menu for the user's role (Flask-WTF adds csrf_token)."""
from flask import g, request

from .. import formats
from ..passwords import MIN_LENGTH
from .blueprint import bp
from .context import hall
from .i18n import current_language, t

STAFF = ("office", "viewer", "leader")
NAV = (("admin.wall", "nav_wall", STAFF), ("admin.attendance", "nav_attendance", STAFF),
       ("admin.violations", "nav_violations", STAFF), ("admin.handovers", "nav_handovers", STAFF),
       ("admin.inspections", "nav_inspections", STAFF), ("admin.ratings", "nav_ratings", STAFF),
       ("admin.leave", "nav_leave", STAFF), ("admin.overtime", "nav_overtime", STAFF),
       ("admin.reports", "nav_reports", STAFF),
       ("admin.setup", "nav_setup", ("office",)), ("admin.audit_log", "nav_audit", ("office", "auditor")))


@bp.app_template_filter("local")
def local_filter(value):
    """Template filter: an ISO time (any offset) as the hall's local "YYYY-MM-DD HH:MM:SS"."""
    return formats.local(value, hall().tz)


@bp.app_template_filter("duration")
def duration_filter(seconds):
    """Template filter: :func:`hub.formats.duration`."""
    return formats.duration(seconds)


@bp.app_template_filter("clock")
def clock_filter(value):
    """Template filter: :func:`hub.formats.clock`."""
    return formats.clock(value)


@bp.context_processor
def layout():
    """Template globals of the admin pages."""
    user = getattr(g, "user", None)
    nav = [(endpoint, key) for endpoint, key, allowed in NAV if user and user["role"] in allowed]
    return {"t": t, "lang": current_language(), "nav": nav, "min_password": MIN_LENGTH,
            "print_view": request.args.get("print") == "1"}
