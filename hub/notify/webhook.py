"""A generic JSON webhook, signed: the body is the change as JSON with its idempotency key; the headers carry
the time (``X-HallPost-Timestamp``, Unix seconds) and ``X-HallPost-Signature: sha256=<hex>``, the HMAC-SHA256
keyed by the shared secret over ``<timestamp>.<body>``, so a receiver can check who sent it and refuse a replay
older than it allows (docs/notifications.md). Any 2xx answer is success."""
import hashlib
import hmac
import time
from urllib.parse import urlsplit

from .receiver import IDEMPOTENCY_HEADER, json_bytes, post_json, required

SIGNATURE_HEADER = "X-HallPost-Signature"
TIMESTAMP_HEADER = "X-HallPost-Timestamp"
VERSION = 1


def webhook_signature(secret, timestamp, body):
    """The signature header's value for *body* (bytes) sent at *timestamp* (int seconds) under *secret*."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


class JsonWebhook:
    """A webhook URL taking the change as signed JSON."""

    kind = "webhook"
    secrets = ("secret",)

    def __init__(self, url, secret):
        self.url, self.secret = url, secret

    @classmethod
    def from_settings(cls, settings):
        """The webhook of *settings* (``url``, ``secret``); ValueError names what is wrong."""
        url, secret = required(settings, cls.kind, "url", "secret")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ValueError(f"webhook receiver: url {url!r} is not an http(s) URL")
        return cls(url, secret)

    def send(self, message):
        """Post *message*'s change, its key, title and text, signed now."""
        body = json_bytes({"version": VERSION, "idempotency_key": message.idempotency, "notice": message.notice,
                           "title": message.title, "text": message.text, **message.change})
        timestamp = int(time.time())
        post_json(self.url, body, {IDEMPOTENCY_HEADER: message.idempotency, TIMESTAMP_HEADER: str(timestamp),
                                   SIGNATURE_HEADER: webhook_signature(self.secret, timestamp, body)})
