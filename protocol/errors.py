"""The errors of the protocol package: one flat hierarchy, messages naming the field and the problem."""


class ProtocolError(ValueError):
    """Base class of every error raised by :mod:`protocol`."""


class FactError(ProtocolError):
    """A fact is malformed; the message names the field (``seq: must be a positive integer, got -3``)."""


class ConflictingFactError(FactError):
    """Two different facts claim the same (terminal, seq)."""


class ConfigError(ProtocolError):
    """The hall configuration is invalid; the message starts with the key path (``windows[2].b``)."""


class WireError(ProtocolError):
    """A terminal↔hub request failed verification."""


class BadSignature(WireError):
    """The HMAC does not match (tampered body or headers, or the wrong key)."""


class StaleTimestamp(WireError):
    """The request's timestamp is outside the allowed skew of the hub's clock."""


class ReplayedNonce(WireError):
    """The request's nonce was already used within the replay window."""


class BodyTooLarge(WireError):
    """The request body exceeds the size limit."""


class MalformedBatch(WireError):
    """The batch body is not a valid batch of facts."""


class ForeignFacts(MalformedBatch):
    """A terminal sent facts of, or a batch for, another terminal: authenticated but not allowed."""
