"""钉钉 (and 浙政钉) group robot with the signed security setting (加签): the timestamp in milliseconds, a newline
and the secret, signed with HMAC-SHA256 keyed by the secret, base64, then URL-encoded, sent as ``&timestamp=…
&sign=…`` after the robot's ``access_token`` URL (the timestamp within an hour of the robot's clock). The body is
``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}``; ``{"errcode": 0}`` is success."""
import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus, urlsplit

from .receiver import IDEMPOTENCY_HEADER, json_bytes, post_json, required, robot_reply


def dingtalk_sign(timestamp_ms, secret):
    """The ``sign`` parameter for *timestamp_ms* (an int) and *secret*, URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


class DingTalkRobot:
    """A 钉钉 group robot at its webhook URL, signing each request with its secret (``SEC…``)."""

    kind = "dingtalk"
    secrets = ("url", "secret")

    def __init__(self, url, secret):
        self.url, self.secret = url, secret

    @classmethod
    def from_settings(cls, settings):
        """The robot of *settings* (``url``, ``secret``); ValueError names what is wrong."""
        url, secret = required(settings, cls.kind, "url", "secret")
        if urlsplit(url).scheme not in ("http", "https") or "access_token=" not in urlsplit(url).query:
            raise ValueError(f"dingtalk receiver: url {url.split('?')[0]!r} is not a robot webhook "
                             "(…/robot/send?access_token=…)")
        return cls(url, secret)

    def send(self, message):
        """Post *message* as Markdown to the URL signed now (the robot's clock is real time, not the hub's)."""
        timestamp = int(time.time() * 1000)
        url = f"{self.url}&timestamp={timestamp}&sign={dingtalk_sign(timestamp, self.secret)}"
        body = {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.markdown}}
        robot_reply(post_json(url, json_bytes(body), {IDEMPOTENCY_HEADER: message.idempotency}))
