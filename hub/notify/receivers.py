"""The receiver kinds, and a receiver made from its stored row (kind and settings)."""
from .dingtalk import DingTalkRobot
from .mail import SmtpMail
from .webhook import JsonWebhook
from .wecom import WeComRobot

KINDS = {kind.kind: kind for kind in (WeComRobot, DingTalkRobot, JsonWebhook, SmtpMail)}
SHOWN_CHARS = 4             # of a secret, the last few shown back


def receiver_of(row):
    """The receiver of a stored row (``kind``, ``settings``); ValueError when its settings no longer hold."""
    return KINDS[row["kind"]].from_settings(row["settings"])


def checked_settings(kind, settings):
    """*settings* for a receiver of *kind* once they make one (ValueError names what is wrong)."""
    if kind not in KINDS:
        raise ValueError(f"receiver: kind {kind!r} is not one of {', '.join(KINDS)}")
    KINDS[kind].from_settings(settings)
    return settings


def masked(kind, settings):
    """*settings* as they may be shown back: each secret's last few characters only."""
    return {name: (f"…{str(value)[-SHOWN_CHARS:]}" if name in KINDS[kind].secrets and value else value)
            for name, value in settings.items()}
