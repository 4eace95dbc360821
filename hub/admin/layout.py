"""What every admin template gets: the words of the hall's values, the language, the menu (Flask-WTF: csrf_token)."""
from datetime import datetime

from flask import g, request
from flask_babel import lazy_gettext as _l

from ..passwords import MIN_LENGTH
from . import terms
from .blueprint import bp
from .context import hall
from .i18n import current_language

STAFF = ("office", "viewer", "leader")
NAV = (("admin.wall", _l("Live wall"), STAFF), ("admin.attendance", _l("Attendance"), STAFF),
       ("admin.violations", _l("Violations & empty"), STAFF), ("admin.handovers", _l("Handovers"), STAFF),
       ("admin.inspections", _l("Inspections"), STAFF), ("admin.ratings", _l("Ratings & follow-ups"), STAFF),
       ("admin.leave", _l("Leave & permits"), STAFF), ("admin.overtime", _l("Overtime"), STAFF),
       ("admin.reports", _l("Reports"), STAFF),
       ("admin.setup", _l("Setup"), ("office",)), ("admin.audit_log", _l("Audit log"), ("office", "auditor")))


def duration(seconds):
    """Seconds as a short duration: 45s, 12:05 (min:s), 2h10m."""
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes // 60}h{minutes % 60}m" if minutes >= 60 else f"{minutes}:{rest:02d}"


def clock(value):
    """An ISO time's HH:MM:SS as written (derived rows already carry the hall's offset)."""
    return value[11:19] if value else "—"


@bp.app_template_filter("local")
def local_filter(value):
    """Template filter: an ISO time (any offset) as the hall's local "YYYY-MM-DD HH:MM:SS"."""
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone(hall().tz).strftime("%Y-%m-%d %H:%M:%S")


@bp.app_template_filter("duration")
def duration_filter(seconds):
    """Template filter: :func:`duration`."""
    return duration(seconds)


@bp.app_template_filter("clock")
def clock_filter(value):
    """Template filter: :func:`clock`."""
    return clock(value)


@bp.context_processor
def layout():
    """Template globals of the admin pages."""
    user = getattr(g, "user", None)
    nav = [(endpoint, label) for endpoint, label, allowed in NAV if user and user["role"] in allowed]
    return {"terms": terms, "lang": current_language(), "nav": nav, "min_password": MIN_LENGTH,
            "print_view": request.args.get("print") == "1"}
