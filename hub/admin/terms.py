"""The words for the hall's values shown on the admin pages: one fixed table per kind of value.

Each value (a status, a leave kind, a role ...) maps to its own marked message, so every word can be
extracted into the catalogs (a key built at run time could not be).
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from ..i18n import N_

STATUS = {
    "on_time": _l("on time"),
    "not_early": _l("not early"),
    "late": _l("late"),
    "absent": _l("absent"),
    "leave": _l("leave"),
    "unknown": _l("unknown (terminal not heard)"),
    "pending": _l("pending"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
}
SESSIONS = {
    "morning": _l("morning"),
    "afternoon": _l("afternoon"),
}
# The weekdays in protocol.hall.WEEKDAYS order (a session's ``days`` are their indexes).
WEEKDAYS = {"mon": _l("Mon"), "tue": _l("Tue"), "wed": _l("Wed"), "thu": _l("Thu"), "fri": _l("Fri"),
            "sat": _l("Sat"), "sun": _l("Sun")}
# R5's five keys, as the keypad names them, best first.
SCORES = {5: _l("very satisfied"), 4: _l("satisfied"), 3: _l("fairly satisfied"), 2: _l("dissatisfied"),
          1: _l("very dissatisfied")}
# 好差评 cases (hub.cases): states, steps, how a citizen was called back and how satisfied with the handling;
# appeals of ratings (申诉复核): their grounds and the office's decision.
CASE_STATES = {"open": _l("open"), "verified": _l("verified"), "rectified": _l("rectified"),
               "called_back": _l("called back"), "closed": _l("closed")}
CASE_STEPS = {"verify": _l("Verification"), "rectify": _l("Rectification"), "callback": _l("Callback")}
CALLBACK_METHODS = {"phone": _l("by phone"), "sms": _l("by SMS"), "in_person": _l("in person")}
HANDLING_SATISFACTION = {"satisfied": _l("satisfied with the handling"),
                         "basically": _l("basically satisfied with the handling"),
                         "dissatisfied": _l("dissatisfied with the handling")}
APPEAL_GROUNDS = {"mistaken": _l("mistaken rating"), "malicious": _l("malicious bad rating"),
                  "wrong_service": _l("rating of another service")}
APPEAL_OUTCOMES = {"upheld": _l("upheld"), "rejected": _l("rejected")}
VIOLATIONS = {
    "late": _l("late"),
    "early_leave": _l("early leave"),
    "absent": _l("absent"),
    "off_post": _l("off post"),
    "empty_window": _l("empty window"),
}
REASONS = {
    "meeting": lazy_pgettext("handover reason", "meeting"),
    "trip": _l("trip"),
    "training": _l("training"),
    "leave": _l("leave"),
    "break": _l("break"),
    "other": _l("other"),
}
LEAVE_KINDS = {
    "personal": _l("personal"),
    "sick": _l("sick"),
    "annual": _l("annual"),
    "trip": _l("trip"),
    "training": _l("training"),
    "meeting": lazy_pgettext("leave kind", "meeting"),
    "compensatory": _l("time off in lieu"),
    "marriage": _l("marriage"),
    "maternity": _l("maternity"),
    "bereavement": _l("bereavement"),
    "caregiving": _l("caregiving"),
}
TIERS = {
    "leader": _l("group leader"),
    "office": _l("office"),
    "deputy_director": _l("deputy director"),
    "department_head": _l("department head"),
    "director": _l("center director"),
}
INSPECTIONS = {
    "scheduled": _l("Scheduled"),
    "random": _l("Spot check"),
    "manual": _l("Manual check"),
}
ROLES = {
    "office": _l("Coordination office"),
    "viewer": _l("Department viewer"),
    "leader": _l("Window group leader"),
    "auditor": _l("Auditor"),
    "display": _l("Display screen"),
}
AUDIT_PROBLEMS = {
    "unlinked": _l("it does not follow the row before (a row was removed or changed)"),
    "changed": _l("its content does not match its hash (the row was changed)"),
    "unpurged": _l("the rows before the oldest were not removed by a retention purge (rows were deleted)"),
}
# The month's tallies on a clerk's month page: statuses, then two violations (headings, so capitalised).
MONTH_TALLIES = (("on_time", STATUS["on_time"]), ("not_early", STATUS["not_early"]), ("late", STATUS["late"]),
                 ("absent", STATUS["absent"]), ("leave", STATUS["leave"]), ("early_leave", VIOLATIONS["early_leave"]),
                 ("off_post", _l("Off post")))
# The marks of the month's register (月度考勤表), one short sign per kind, and what each means (its legend).
REGISTER_MARKS = {
    "unknown": lazy_pgettext("register mark", "?"),
    "on_time": lazy_pgettext("register mark", "✓"),
    "not_early": lazy_pgettext("register mark", "N"),
    "late": lazy_pgettext("register mark", "L"),
    "absent": lazy_pgettext("register mark", "A"),
    "leave": lazy_pgettext("register mark", "V"),
    "early_leave": lazy_pgettext("register mark", "E"),
    "off_post": lazy_pgettext("register mark", "O"),
    "covered": lazy_pgettext("register mark", "C"),
    "overtime": lazy_pgettext("register mark", "+"),
}
REGISTER_LEGEND = {
    "unknown": _l("not judged yet (terminal not heard)"),
    "on_time": STATUS["on_time"],
    "not_early": STATUS["not_early"],
    "late": STATUS["late"],
    "absent": STATUS["absent"],
    "leave": STATUS["leave"],
    "early_leave": VIOLATIONS["early_leave"],
    "off_post": VIOLATIONS["off_post"],
    "covered": _l("covered a post without being scheduled"),
    "overtime": _l("approved overtime"),
}
# The rules a new password breaks (hub.passwords.WeakPassword.key); ``%(limit)s`` is the rule's number.
WEAK_PASSWORDS = {
    "password_too_short": N_("The password needs at least %(limit)s characters"),
    "password_too_long": N_("The password may have at most %(limit)s characters"),
    "password_repetitive": N_("The password must not repeat just one or two characters"),
    "password_common": N_("This is one of the most common passwords; choose another"),
    "password_has_username": N_("The password must not contain the user name"),
}

