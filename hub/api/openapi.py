"""The OpenAPI 3 document of the terminal API (hand-written; tests check it against the real server)."""
from protocol.status import SCHEMA as STATUS_SCHEMA
from protocol.wire import MAX_BATCH_FACTS, NONCE_HEADER, SIGNATURE_HEADER, TERMINAL_HEADER, TIMESTAMP_HEADER

from .replies import HUB_TIME_HEADER

_TIME = {"type": "string", "format": "date-time"}
_ERROR = {"type": "object", "required": ["error", "hub_time"],
          "properties": {"error": {"type": "string"}, "hub_time": _TIME}}
_SIGNED = [
    {"name": TERMINAL_HEADER, "in": "header", "required": True, "schema": {"type": "string"},
     "description": "terminal id"},
    {"name": TIMESTAMP_HEADER, "in": "header", "required": True,
     "schema": {"type": "string", "pattern": "^[0-9]{1,12}$"}, "description": "whole Unix seconds (hub-corrected)"},
    {"name": NONCE_HEADER, "in": "header", "required": True,
     "schema": {"type": "string", "pattern": "^[0-9a-f]{16,64}$"}},
    {"name": SIGNATURE_HEADER, "in": "header", "required": True,
     "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
     "description": "hex HMAC-SHA256 over METHOD, PATH, TIMESTAMP, NONCE and sha256(BODY), newline-separated"},
]
_HUB_TIME = {HUB_TIME_HEADER: {"schema": _TIME, "description": "the hub's time"}}


def _json(schema):
    return {"application/json": {"schema": schema}}


def _error(description):
    return {"description": description, "headers": _HUB_TIME, "content": _json(_ERROR)}


def _errors(*codes, **described):
    """Error responses for *codes*; ``described`` overrides the text of a code (``e403="..."``)."""
    text = {400: "malformed request (the message names the field)", 401: "bad signature, stale timestamp or "
            "unknown terminal", 403: "unknown, used or expired enrolment code", 409: "replayed nonce, or the "
            "push contradicts facts already held (same seq, other content; journal reset)",
            413: "body over the size limit", 415: "Content-Type is not application/json",
            422: "a clock fact's hub_time is later than the hub's time (plus its allowance)",
            503: "the database is busy (a lock held too long, a deadlock): nothing was stored; send the same "
                 "request again after Retry-After seconds"}
    errors = {str(code): _error(described.get(f"e{code}", text[code])) for code in codes}
    if 503 in codes:
        errors["503"]["headers"] = {**_HUB_TIME, "Retry-After": {"schema": {"type": "integer", "minimum": 0}}}
    return errors


_FACT = {"type": "object", "required": ["terminal", "seq", "boot", "mono_ms", "wall", "kind"],
         "properties": {"terminal": {"type": "string"}, "seq": {"type": "integer", "minimum": 1},
                        "boot": {"type": "string"}, "mono_ms": {"type": "integer", "minimum": 0},
                        "wall": _TIME, "time": _TIME, "kind": {"type": "string"}},
         "description": "one fact (see protocol.md); the kind's own fields are added"}


def document():
    """The OpenAPI 3.0 document as a dict."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "HallPost hub terminal API", "version": "1"},
        "paths": {
            "/api/v1/enrol": {"post": {
                "summary": "Enrol a terminal with a one-time code; its key is returned this once",
                "requestBody": {"required": True, "content": _json(
                    {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}})},
                "responses": {"201": {"description": "enrolled", "headers": _HUB_TIME, "content": _json({
                    "type": "object", "required": ["terminal", "key", "acked", "hub_time"],
                    "properties": {"terminal": {"type": "string"}, "key": {"type": "string", "pattern": "^[0-9a-f]+$"},
                                   "acked": {"type": "integer", "minimum": 0}, "hub_time": _TIME}})},
                    **_errors(400, 403, 413, 415, 503)}}},
            "/api/v1/facts": {"post": {
                "summary": "Push a signed batch of facts (all or nothing)",
                "parameters": _SIGNED,
                "requestBody": {"required": True, "content": _json({
                    "type": "object", "required": ["terminal", "store", "facts"],
                    "properties": {"terminal": {"type": "string"}, "store": {"type": "string"},
                                   "facts": {"type": "array", "maxItems": MAX_BATCH_FACTS, "items": _FACT},
                                   "status": STATUS_SCHEMA}})},
                "responses": {"200": {"description": "stored; acked is the highest contiguous seq held",
                                      "headers": _HUB_TIME, "content": _json({
                                          "type": "object", "required": ["acked", "hub_time"],
                                          "properties": {"acked": {"type": "integer", "minimum": 0},
                                                         "hub_time": _TIME}})},
                              **_errors(400, 401, 403, 409, 413, 415, 422, 503,
                                        e403="the batch or a fact belongs to another terminal")}}},
            "/api/v1/config": {"get": {
                "summary": "The terminal's part of the hall config, with an ETag (signed request)",
                "parameters": _SIGNED + [{"name": "If-None-Match", "in": "header", "required": False,
                                          "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the current config", "headers": {
                    **_HUB_TIME, "ETag": {"schema": {"type": "string"}}}, "content": _json({
                        "type": "object", "required": ["version", "etag", "config", "hub_time"],
                        "properties": {"version": {"type": "integer"}, "etag": {"type": "string"},
                                       "config": {"type": "object"}, "hub_time": _TIME}})},
                              "304": {"description": "the terminal's copy is current", "headers": _HUB_TIME},
                              **_errors(401, 409, 503)}}},
            "/api/v1/clock": {"get": {
                "summary": "The hub's time (unsigned)",
                "responses": {"200": {"description": "the hub's time", "headers": _HUB_TIME, "content": _json({
                    "type": "object", "required": ["hub_time"], "properties": {"hub_time": _TIME}})}}}},
            "/api/v1/openapi.json": {"get": {
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3 document", "headers": _HUB_TIME,
                                      "content": _json({"type": "object"})}}}},
        },
    }
