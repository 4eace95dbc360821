"""JSON replies of the terminal API: the hub's time in every body and in a header; errors name the field."""
from flask import current_app, jsonify

from protocol.errors import (BadSignature, BodyTooLarge, ForeignFacts, MalformedBatch, ReplayedNonce,
                             StaleTimestamp)

from ..store.errors import BadEnrolmentCode, Conflict, FutureFact, UnknownTerminal

HUB_TIME_HEADER = "X-HallPost-Hub-Time"
# exception class -> HTTP status, most specific first
STATUS_OF = (
    (BodyTooLarge, 413),
    (BadSignature, 401),
    (StaleTimestamp, 401),
    (UnknownTerminal, 401),
    (ReplayedNonce, 409),
    (Conflict, 409),
    (ForeignFacts, 403),
    (FutureFact, 422),
    (MalformedBatch, 400),
    (BadEnrolmentCode, 403),
)


def hub_time():
    """The hub's time now, ISO 8601 UTC."""
    return current_app.config["CLOCK"]().isoformat()


def reply(body, status=200, headers=None):
    """A JSON response with ``hub_time`` added."""
    response = jsonify({**body, "hub_time": hub_time()})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def error(status, message, headers=None):
    """A JSON error response: ``{"error": message, "hub_time": ...}``."""
    return reply({"error": message}, status, headers)


def status_of(exc):
    """The HTTP status for a refused request's exception (400 for any other malformed request)."""
    return next((status for cls, status in STATUS_OF if isinstance(exc, cls)), 400)
