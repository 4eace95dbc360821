"""The terminal's one HTTP client for its hub: plain HTTP or HTTPS verified by a CA file or a pinned certificate.

Every exchange with the hub (the signed sync, enrolment, the self-test's clock check) goes through here.
The hub is on the hall's LAN, so no proxy from the environment is ever used. For an ``https://`` hub:

- ``ca_file``: the certificate chain and host name are verified against that CA (e.g. the hub's own
  self-signed certificate written by ``scripts/install-hub --tls``);
- ``pin_sha256``: the hub's certificate must have this SHA-256 fingerprint (what
  ``openssl x509 -noout -fingerprint -sha256`` prints); with a pin alone, the pin is the whole check;
- neither: the system's CAs and the host name, as any HTTPS client.
"""
import hashlib
import http.client
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import HubUnreachable

MAX_REPLY_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class HubTrust:
    """How an ``https://`` hub is trusted: a CA file, a pinned SHA-256 fingerprint, both, or the system's CAs."""

    ca_file: Path | None = None
    pin_sha256: str | None = None

    def __post_init__(self):
        if self.pin_sha256 is not None:
            object.__setattr__(self, "pin_sha256", normalise_pin(self.pin_sha256))

    def context(self):
        """The TLS context that verifies the hub as configured."""
        if self.ca_file is None and self.pin_sha256 is not None:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE     # the pin is checked instead
            return context
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)


@dataclass(frozen=True)
class Reply:
    """The hub's answer: status, headers (case-insensitive ``get``) and body bytes."""

    status: int
    headers: object
    body: bytes


def normalise_pin(text):
    """A SHA-256 fingerprint as 64 lower-case hex digits (colons and a ``sha256`` prefix allowed)."""
    digits = text.strip().lower().removeprefix("sha256:").removeprefix("sha256 fingerprint=").replace(":", "")
    if len(digits) != 64 or any(c not in "0123456789abcdef" for c in digits):
        raise ValueError(f"hub_pin_sha256: expected 64 hex digits (openssl x509 -fingerprint -sha256), got {text!r}")
    return digits


class HubHttp:
    """One request at a time to the hub at a URL, with the terminal's TLS trust and a timeout."""

    def __init__(self, trust=None, *, timeout_s=10.0):
        self.trust, self.timeout_s = trust or HubTrust(), timeout_s
        self._context = None

    def request(self, method, url, body=None, headers=None, *, max_bytes=MAX_REPLY_BYTES):
        """Send one request to *url*; the Reply of any status. Unreachable, TLS or pin failures raise HubUnreachable."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            conn = self._connection(parts)
            try:
                conn.connect()
                self._check_pin(conn)
                conn.request(method, target or "/", body=body, headers=headers or {})
                answer = conn.getresponse()
                return Reply(answer.status, answer.headers, answer.read(max_bytes))
            finally:
                conn.close()
        except HubUnreachable:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise HubUnreachable(f"{method} {url}: {getattr(exc, 'reason', None) or exc}") from exc

    def _connection(self, parts):
        if parts.scheme == "http":
            return http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout_s)
        if parts.scheme == "https":
            if self._context is None:
                self._context = self.trust.context()
            return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=self.timeout_s,
                                               context=self._context)
        raise ValueError(f"hub URL: scheme must be http or https, got {parts.scheme!r}")

    def _check_pin(self, conn):
        if self.trust.pin_sha256 is None or not isinstance(conn, http.client.HTTPSConnection):
            return
        seen = hashlib.sha256(conn.sock.getpeercert(binary_form=True)).hexdigest()
        if seen != self.trust.pin_sha256:
            raise HubUnreachable(f"{conn.host}:{conn.port}: the hub's certificate has SHA-256 {seen}, not the pinned "
                                 f"{self.trust.pin_sha256} (terminal.hub_pin_sha256): refusing to talk to it")
