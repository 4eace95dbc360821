"""The audit log page (操作日志): who did what and when, in the hall's words, filtered by action, actor and dates.

Each entry's detail is shown as a short list of named values: clerks and windows by name, times in the hall's
zone, the hall's values (leave kinds, approver tiers, roles) in the reader's words.
"""
import re
from datetime import datetime, time, timedelta, timezone

from flask import g, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from .. import formats
from ..i18n import N_
from ..store.audit import PURGE_ACTION
from . import terms
from .auth import roles
from .blueprint import bp
from .context import hall, store
from .halls import is_center
from .periods import checked_range, day_arg

SHOWN = 300
ACTIONS = {
    "login": _l("logged in"), "logout": _l("logged out"), "login failed": _l("failed to log in"),
    "change password": _l("changed their password"), "reset password": _l("reset a password"),
    "create office account": _l("created the office account"), "add user": _l("added a user"),
    "enable user": _l("enabled a user"), "disable user": _l("disabled a user"),
    "save window": _l("saved a window"), "save clerk": _l("saved a clerk"), "save sessions": _l("saved the sessions"),
    "save calendar": _l("saved the calendar"), "save config": _l("saved a hall config version"),
    "new enrolment code": _l("made an enrolment code"), "enrol": _l("terminal enrolled"),
    "revoke terminal": _l("revoked a terminal"), "repair terminal": _l("repaired a terminal's record"),
    "import facts": _l("imported facts"), "file leave": _l("filed leave"), "approve leave": _l("approved leave"),
    "reject leave": _l("rejected leave"), "leave certificate": _l("recorded a sick-leave certificate"),
    "leave into config": _l("entered leave into the hall config"), "grant permit": _l("granted a permit"),
    "file overtime": _l("filed overtime"), "approve overtime": _l("approved overtime"),
    "reject overtime": _l("rejected overtime"), "overtime into config": _l("entered overtime into the hall config"),
    "take inspection": _l("took an inspection"), "save inspection sheet": _l("filed an inspection sheet"),
    "correct inspection sheet": _l("corrected an inspection sheet"), "close inspection": _l("closed an inspection"),
    "close follow-up": _l("closed a follow-up"),
    "export csv": _l("exported a CSV"), PURGE_ACTION: _l("purged old log entries"),
    "case step": _l("recorded a step of a bad-rating case"), "file appeal": _l("filed an appeal of a rating"),
    "decide appeal": _l("decided an appeal of a rating"), "export evaluations": _l("exported the evaluations"),
    "acknowledge alert": _l("acknowledged an alert"),
}
FIELDS = {
    "request": _l("Request no."), "clerk": _l("Clerk"), "clerks": _l("Duty clerks"), "cover": _l("Cover"),
    "window": _l("Window"), "from": lazy_pgettext("date range", "From"), "to": lazy_pgettext("date range", "To"),
    "start": lazy_pgettext("date range", "From"), "end": lazy_pgettext("date range", "To"),
    "kind": lazy_pgettext("leave", "Kind"), "tier": _l("Approver"), "certificate": _l("Certificate"),
    "provided": _l("Certificate"), "version": _l("Config version"), "address": _l("Address"),
    "reason": _l("Reason"), "locked_until": _l("Locked until"), "user": _l("User"), "username": _l("User name"),
    "role": _l("Role"), "department": _l("Department"), "display_name": _l("Full name"), "report": _l("Report"),
    "query": _l("Query"), "slot": _l("Slot"), "service": _l("Service no."), "done": _l("Service done at"),
    "note": _l("Note"), "expires": _l("Expires"), "terminal": _l("Terminal"), "before": _l("Before"),
    "step": _l("Step"), "finding": _l("What happened"), "verified_by": _l("Verified by"),
    "measure": _l("Measure taken"), "method": _l("Method"), "reached": _l("Citizen reached"),
    "satisfaction": _l("Satisfaction"), "grounds": _l("Grounds"), "outcome": _l("Decision"),
    "decision": _l("Reason"),
    "new": _l("new"), "acked": _l("already held"), "account": _l("Account"), "inspection": _l("Inspection no."),
    "present": _l("At the post"), "dress": _l("Dress"), "desk": _l("Desk tidy"), "attitude": _l("Service attitude"),
    "sheets": _l("Sheets"), "alert": _l("Alert no."),
}
ORDER = {key: place for place, key in enumerate(FIELDS)}
# How named values are joined, in the reader's punctuation.
NAME_AND_ID, PAIR, PAIRS, ITEMS = N_("%(name)s (%(id)s)"), N_("%(key)s: %(value)s"), N_("; "), N_(", ")
LOGIN_FAILURES = {"unknown user": _l("unknown user"), "wrong password": _l("wrong password"),
                  "disabled": _l("account disabled")}
NAMED = {"kind": terms.LEAVE_KINDS, "tier": terms.TIERS, "role": terms.ROLES, "step": terms.CASE_STEPS,
         "method": terms.CALLBACK_METHODS, "satisfaction": terms.HANDLING_SATISFACTION,
         "grounds": terms.APPEAL_GROUNDS, "outcome": terms.APPEAL_OUTCOMES}
HIDDEN = {"etag", "last_purged_hash"}
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)$")


def value_words(key, value, config):
    """One detail value as the office reads it."""
    if value is None:
        return formats.MISSING
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict):
        return gettext(PAIRS).join(gettext(PAIR, key=FIELDS.get(name, name), value=value_words(name, inner, config))
                                   for name, inner in value.items())
    if isinstance(value, list):
        return gettext(ITEMS).join(value_words(key, item, config) for item in value)
    if key in ("clerk", "clerks", "cover") and value in config.clerks:
        return gettext(NAME_AND_ID, name=config.clerks[value].name, id=value)
    if key == "window" and config.window(value) is not None:
        return config.window(value).name
    if key in NAMED and value in NAMED[key]:
        return str(NAMED[key][value])
    if key == "reason" and value in LOGIN_FAILURES:
        return str(LOGIN_FAILURES[value])
    if isinstance(value, str) and ISO_TIME.match(value):
        return formats.local(value, config.tz)
    return str(value)


def detail_rows(detail, config):
    """An entry's detail as (label, words) pairs in the order of :data:`FIELDS` (the stored order is
    alphabetical); a detail that is not a mapping is one unnamed value."""
    if not isinstance(detail, dict):
        return [("", value_words("", detail, config))] if detail not in (None, {}) else []
    shown = sorted((key for key in detail if key not in HIDDEN), key=lambda key: ORDER.get(key, len(ORDER)))
    return [(str(FIELDS.get(key, key)), value_words(key, detail[key], config)) for key in shown]


def _bounds(tz):
    """The filter's dates as the stored UTC bounds (since, before); None where a date is not given."""
    first = day_arg("from") if request.args.get("from") else None
    last = day_arg("to") if request.args.get("to") else None
    if first and last:
        checked_range(first, last)
    return tuple(None if day is None else datetime.combine(day, time(), tz).astimezone(timezone.utc).isoformat()
                 for day in (first, last and last + timedelta(days=1)))


@bp.route("/audit")
@roles("office", "auditor")
def audit_log():
    """The latest office actions (who, what, when, in words), filtered, and whether the log's hash chain holds."""
    config = hall()
    action = request.args.get("action") or None
    actor = request.args.get("actor", "").strip() or None
    since, before = _bounds(config.tz)
    entries = store().audit.entries(limit=SHOWN, actor=actor, action=action, since=since, before=before,
                                    hall=None if is_center() else g.hall)
    names = {user["username"]: user["display_name"] for user in store().users.all() if user["display_name"]}
    shown = [dict(entry, said=ACTIONS.get(entry["action"], entry["action"]), who=names.get(entry["actor"]),
                  rows=detail_rows(entry["detail"], config)) for entry in entries]
    return render_template("admin/audit.html", entries=shown, broken=store().audit.verify(), actions=ACTIONS,
                           users=store().users.all(), shown_max=SHOWN, chosen=request.args)
