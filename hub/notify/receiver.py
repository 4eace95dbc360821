"""The seam every receiver implements, the message it is given, and the HTTP POST the robots and the webhook share."""
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

TIMEOUT_S = 10
IDEMPOTENCY_HEADER = "X-HallPost-Idempotency-Key"
ANSWER_LIMIT = 200          # characters of a refusal kept as the receiver's last error


class DeliveryError(Exception):
    """A receiver did not take a message; the text says why (kept as the receiver's last error)."""


@dataclass(frozen=True)
class Message:
    """One notification: the change it tells (a dict of AlertChange's fields), its idempotency key, which notice
    it is (0: the change; n: the n-th repeat), a one-line title, a Markdown body and the same as plain text."""

    idempotency: str
    change: dict
    notice: int
    title: str
    markdown: str
    text: str


class Receiver(Protocol):
    """Where a message goes: raises DeliveryError unless the receiver took it."""

    def send(self, message: Message) -> None:
        """Deliver *message* or raise DeliveryError."""


def post_json(url, body, headers=(), *, timeout_s=TIMEOUT_S):
    """POST *body* (bytes of JSON) to *url* with *headers*; the answer's bytes when it is 2xx, else DeliveryError."""
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8", **dict(headers)})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:
            return answer.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}: {_short(exc.read())}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"unreachable: {getattr(exc, 'reason', exc)}") from exc


def robot_reply(answer):
    """Check a group robot's JSON answer: ``errcode`` 0 is success, any other is DeliveryError (even with HTTP 200)."""
    try:
        reply = json.loads(answer)
    except ValueError as exc:
        raise DeliveryError(f"answer is not JSON: {_short(answer)}") from exc
    if not isinstance(reply, dict) or reply.get("errcode") != 0:
        code, text = (reply.get("errcode"), reply.get("errmsg")) if isinstance(reply, dict) else (None, reply)
        raise DeliveryError(f"errcode {code}: {text}")


def json_bytes(body):
    """*body* as compact UTF-8 JSON."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def required(settings, kind, *names):
    """The values of *names* in *settings* (non-empty strings), or ValueError naming the missing one."""
    values = []
    for name in names:
        value = settings.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{kind} receiver: {name} is required")
        values.append(value.strip())
    return values


def _short(answer):
    """The start of a receiver's answer, as text."""
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return text[:ANSWER_LIMIT]
