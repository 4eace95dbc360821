"""企业微信 (and 政务微信) group robot: a POST of ``{"msgtype": "markdown", "markdown": {"content": …}}`` to the
robot's webhook URL (``…/cgi-bin/webhook/send?key=…``); ``{"errcode": 0}`` is success, any other errcode a
failure even with HTTP 200. Its Markdown content may hold at most 4096 bytes of UTF-8."""
from urllib.parse import urlsplit

from .receiver import IDEMPOTENCY_HEADER, json_bytes, post_json, required, robot_reply

CONTENT_LIMIT = 4096


class WeComRobot:
    """A 企业微信 group robot at its webhook URL (the URL's ``key`` is the secret)."""

    kind = "wecom"
    secrets = ("url",)

    def __init__(self, url):
        self.url = url

    @classmethod
    def from_settings(cls, settings):
        """The robot of *settings* (``url``); ValueError names what is wrong."""
        (url,) = required(settings, cls.kind, "url")
        if urlsplit(url).scheme not in ("http", "https") or "key=" not in urlsplit(url).query:
            raise ValueError(f"wecom receiver: url {url.split('?')[0]!r} is not a robot webhook "
                             "(…/cgi-bin/webhook/send?key=…)")
        return cls(url)

    def send(self, message):
        """Post *message* as Markdown (its idempotency key in the content and a header)."""
        content = truncated(message.markdown, CONTENT_LIMIT)
        body = {"msgtype": "markdown", "markdown": {"content": content}}
        robot_reply(post_json(self.url, json_bytes(body), {IDEMPOTENCY_HEADER: message.idempotency}))


def truncated(text, limit):
    """*text* cut to at most *limit* bytes of UTF-8 on a character boundary."""
    data = text.encode()
    return text if len(data) <= limit else data[:limit - 3].decode("utf-8", "ignore") + "…"
