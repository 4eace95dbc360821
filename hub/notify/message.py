"""The words of a notification, in the receiver's language (the hub's catalogs): a title naming what happened
and a body with the hall, window, time, the page that explains it and the message's key."""
from datetime import datetime

from ..i18n import N_, translations
from .receiver import Message

TITLES = {("firing", False): N_("[Alert] %(summary)s"), ("firing", True): N_("[Still firing] %(summary)s"),
          ("resolved", False): N_("[Resolved] %(summary)s")}
HALL, WINDOW = N_("Hall: %(hall)s"), N_("Window: %(window)s")
STARTED, ENDED = N_("Started: %(time)s"), N_("Ended: %(time)s")
DETAILS, KEY = N_("Details: %(link)s"), N_("Message key: %(key)s")
TIME_FORMAT = "%Y-%m-%d %H:%M"


def message_of(row, *, language, tz, hall_name, base_url=""):
    """The Message for outbox *row* (as claimed) in *language*, times local to *tz*, links under *base_url*."""
    gettext, change = translations(language).gettext, row["change"]
    title = gettext(TITLES[change["state"], row["notice"] > 0]) % {"summary": change["summary"]}
    lines = [gettext(HALL) % {"hall": hall_name}]
    if change["window"]:
        lines.append(gettext(WINDOW) % {"window": change["window"]})
    lines.append(gettext(STARTED) % {"time": _local(change["started_at"], tz)})
    if change["ended_at"]:
        lines.append(gettext(ENDED) % {"time": _local(change["ended_at"], tz)})
    link = base_url.rstrip("/") + change["link"]
    key = gettext(KEY) % {"key": row["idempotency"]}
    markdown = "\n".join([f"**{title}**", *(f"> {line}" for line in lines),
                          gettext(DETAILS) % {"link": f"[{link}]({link})"}, key])
    text = "\n".join([title, *lines, gettext(DETAILS) % {"link": link}, key])
    return Message(row["idempotency"], change, row["notice"], title, markdown, text)


def _local(iso, tz):
    """An ISO UTC time as local wall time in *tz*."""
    return datetime.fromisoformat(iso).astimezone(tz).strftime(TIME_FORMAT)
