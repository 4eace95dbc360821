"""Email over SMTP: one message per change, its subject the title (UTF-8), STARTTLS and login when set."""
import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from .receiver import IDEMPOTENCY_HEADER, TIMEOUT_S, DeliveryError, required


class SmtpMail:
    """Mail to *recipients* from *sender* through the SMTP server at *host*:*port*."""

    kind = "email"
    secrets = ("password",)

    def __init__(self, host, port, sender, recipients, *, starttls=False, username=None, password=None):
        self.host, self.port, self.sender, self.recipients = host, port, sender, recipients
        self.starttls, self.username, self.password = starttls, username, password

    @classmethod
    def from_settings(cls, settings):
        """The mail of *settings* (``host``, ``port``, ``from``, ``to`` comma-separated, optional ``starttls``,
        ``username``, ``password``); ValueError names what is wrong."""
        host, sender, to = required(settings, cls.kind, "host", "from", "to")
        port = settings.get("port", 25)
        if not isinstance(port, int) or not 0 < port < 65536:
            raise ValueError(f"email receiver: port {port!r} is not a TCP port (1-65535)")
        recipients = [address.strip() for address in to.split(",") if address.strip()]
        for address in (sender, *recipients):
            if "@" not in address or any(c in address for c in " \r\n<>"):
                raise ValueError(f"email receiver: {address!r} is not an email address")
        return cls(host, port, sender, recipients, starttls=bool(settings.get("starttls")),
                   username=settings.get("username") or None, password=settings.get("password") or None)

    def send(self, message):
        """Send *message* as one email; DeliveryError when the server is unreachable or refuses it."""
        mail = EmailMessage()
        mail["Subject"], mail["From"], mail["To"] = message.title, self.sender, ", ".join(self.recipients)
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = f"<{message.idempotency}@hallpost>"
        mail[IDEMPOTENCY_HEADER] = message.idempotency
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_S) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {exc}") from exc
