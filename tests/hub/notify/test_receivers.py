"""Each receiver against a real server on 127.0.0.1 that checks its documented request format and signature."""
import base64
import email
import hashlib
import hmac
import time
from email import policy
from urllib.parse import quote_plus

import pytest
from aiosmtpd.controller import Controller

from hub.notify.dingtalk import DingTalkRobot
from hub.notify.mail import SmtpMail
from hub.notify.receiver import DeliveryError, Message
from hub.notify.receivers import checked_settings, masked
from hub.notify.webhook import JsonWebhook
from hub.notify.wecom import WeComRobot
from tests import servers
from tests.hub.notify.robots import receiving

MESSAGE = Message("hp-key1", {"key": "k", "state": "firing", "summary": "w03 窗口无人"}, 0, "【告警】w03 窗口无人",
                  "**【告警】w03 窗口无人**\n> 窗口：w03", "【告警】w03 窗口无人\n窗口：w03")


def test_wecom_posts_its_documented_markdown_body_to_the_robot_url():
    with receiving() as (recorder, base):
        WeComRobot.from_settings({"url": f"{base}/cgi-bin/webhook/send?key=abc-123"}).send(MESSAGE)
    (request,) = recorder.requests
    assert request["path"] == "/cgi-bin/webhook/send" and request["query"] == {"key": ["abc-123"]}
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert request["json"] == {"msgtype": "markdown", "markdown": {"content": MESSAGE.markdown}}
    assert request["headers"]["X-HallPost-Idempotency-Key"] == "hp-key1"


def test_wecom_errcode_is_a_failure_even_with_http_200():
    with receiving() as (recorder, base):
        recorder.answers.append((200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
        with pytest.raises(DeliveryError, match="errcode 93000: invalid webhook url"):
            WeComRobot.from_settings({"url": f"{base}/cgi-bin/webhook/send?key=gone"}).send(MESSAGE)


def test_wecom_cuts_markdown_to_4096_bytes_of_utf8():
    long = Message("hp-k", {}, 0, "t", "窗" * 3000, "t")
    with receiving() as (recorder, base):
        WeComRobot.from_settings({"url": f"{base}/cgi-bin/webhook/send?key=k"}).send(long)
    content = recorder.requests[0]["json"]["markdown"]["content"]
    assert len(content.encode()) <= 4096 and content.startswith("窗" * 1000) and content.endswith("…")


def test_dingtalk_signs_timestamp_and_secret_as_documented():
    secret = "SEC0123456789abcdef"
    with receiving() as (recorder, base):
        DingTalkRobot.from_settings({"url": f"{base}/robot/send?access_token=tok", "secret": secret}).send(MESSAGE)
    (request,) = recorder.requests
    timestamp = request["query"]["timestamp"][0]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest())
    assert request["query"]["access_token"] == ["tok"]
    assert request["query"]["sign"] == [expected.decode()]          # parse_qs undid the URL encoding once
    assert request["raw_query"].endswith("&sign=" + quote_plus(expected))     # base64, then URL-encoded
    assert abs(int(timestamp) - time.time() * 1000) < 60_000         # milliseconds, near the robot's clock
    assert request["json"] == {"msgtype": "markdown", "markdown": {"title": MESSAGE.title, "text": MESSAGE.markdown}}


def test_dingtalk_refusal_is_a_failure():
    with receiving() as (recorder, base):
        recorder.answers.append((200, {"errcode": 310000, "errmsg": "sign not match"}))
        robot = DingTalkRobot.from_settings({"url": f"{base}/robot/send?access_token=t", "secret": "SECx"})
        with pytest.raises(DeliveryError, match="errcode 310000: sign not match"):
            robot.send(MESSAGE)


def test_webhook_body_is_signed_with_hmac_over_timestamp_and_body():
    with receiving(ok=(200, {})) as (recorder, base):
        JsonWebhook.from_settings({"url": f"{base}/hooks/hallpost", "secret": "s3cret"}).send(MESSAGE)
    (request,) = recorder.requests
    timestamp = request["headers"]["X-HallPost-Timestamp"]
    signed = timestamp.encode() + b"." + request["body"]
    assert request["headers"]["X-HallPost-Signature"] == \
        "sha256=" + hmac.new(b"s3cret", signed, hashlib.sha256).hexdigest()
    assert abs(int(timestamp) - time.time()) < 60
    assert request["json"]["idempotency_key"] == request["headers"]["X-HallPost-Idempotency-Key"] == "hp-key1"
    assert request["json"]["summary"] == "w03 窗口无人" and request["json"]["version"] == 1


def test_webhook_non_2xx_and_unreachable_are_failures():
    with receiving(ok=(500, {"error": "boom"})) as (_, base):
        with pytest.raises(DeliveryError, match="HTTP 500"):
            JsonWebhook.from_settings({"url": base + "/h", "secret": "s"}).send(MESSAGE)
    with pytest.raises(DeliveryError, match="unreachable"):
        JsonWebhook.from_settings({"url": f"http://127.0.0.1:{servers.free_port()}/h", "secret": "s"}).send(MESSAGE)


class Inbox:
    """An aiosmtpd handler keeping each message received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on 127.0.0.1: (inbox, port)."""
    inbox, port = Inbox(), servers.free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_email_is_one_message_with_a_utf8_chinese_subject(smtp):
    inbox, port = smtp
    SmtpMail.from_settings({"host": "127.0.0.1", "port": port, "from": "hub@hall.example",
                            "to": "office@hall.example, leader@hall.example"}).send(MESSAGE)
    ((sender, recipients, content),) = inbox.messages
    mail = email.message_from_bytes(content, policy=policy.default)
    assert sender == "hub@hall.example" and recipients == ["office@hall.example", "leader@hall.example"]
    assert mail["Subject"] == "【告警】w03 窗口无人" and b"=?utf-8?" in content.lower()
    assert mail["X-HallPost-Idempotency-Key"] == "hp-key1" and mail["Message-ID"] == "<hp-key1@hallpost>"
    assert "窗口：w03" in mail.get_content()


def test_email_starttls_asked_of_a_server_without_it_fails(smtp):
    _, port = smtp
    mail = SmtpMail.from_settings({"host": "127.0.0.1", "port": port, "from": "hub@hall.example",
                                   "to": "office@hall.example", "starttls": True})
    with pytest.raises(DeliveryError, match="STARTTLS"):
        mail.send(MESSAGE)


@pytest.mark.parametrize("kind, settings, error", [
    ("wecom", {}, "wecom receiver: url is required"),
    ("wecom", {"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"}, "is not a robot webhook"),
    ("dingtalk", {"url": "https://oapi.dingtalk.com/robot/send?access_token=t"}, "secret is required"),
    ("webhook", {"url": "ftp://x/y", "secret": "s"}, "is not an http"),
    ("email", {"host": "h", "from": "a@b", "to": "c@d", "port": 70000}, "port 70000"),
    ("email", {"host": "h", "from": "a@b", "to": "not-an-address"}, "'not-an-address' is not an email address"),
    ("sms", {}, "kind 'sms' is not one of"),
])
def test_bad_settings_are_refused_naming_the_field(kind, settings, error):
    with pytest.raises(ValueError, match=error):
        checked_settings(kind, settings)


def test_secrets_are_shown_back_by_their_last_characters_only():
    shown = masked("dingtalk", {"url": "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456",
                                "secret": "SECsecretvalue9876"})
    assert shown == {"url": "…3456", "secret": "…9876"}
    assert masked("email", {"host": "smtp", "password": "pw-secret"}) == {"host": "smtp", "password": "…cret"}
