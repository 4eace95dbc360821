"""Views of the terminal API. Signed requests are verified, and their nonce kept, in the same
transaction as their effect: a refused request changes nothing stored."""
import re

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from protocol.errors import WireError
from protocol.fact_schema import read_body
from protocol.wire import parse_batch, request_terminal, verify

from .. import wall_events
from ..db import get_store
from ..store.errors import DatabaseBusy, StoreError
from . import openapi
from .replies import HUB_TIME_HEADER, error, hub_time, reply, status_of

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# the codes ``Terminals.new_enrolment_code`` makes: three groups of six hex digits (case and spaces aside)
ENROLMENT_CODE = re.compile(r"^\s*[0-9A-Fa-f]{6}-[0-9A-Fa-f]{6}-[0-9A-Fa-f]{6}\s*$")


@bp.after_request
def add_hub_time(response):
    """Every API response carries the hub's time in a header."""
    response.headers[HUB_TIME_HEADER] = hub_time()
    return response


@bp.errorhandler(HTTPException)
def http_error(exc):
    """HTTP errors (413 from the body limit, 405, ...) as JSON."""
    if exc.code == 413:
        return error(413, f"body: over the limit of {current_app.config['MAX_CONTENT_LENGTH']} bytes")
    return error(exc.code, exc.description)


@bp.errorhandler(WireError)
@bp.errorhandler(StoreError)
def refused(exc):
    """A refused request: the status its exception's class maps to, the message naming the problem."""
    return error(status_of(exc), str(exc))


@bp.errorhandler(DatabaseBusy)
def busy(exc):
    """The database was too busy for this request (rolled back, nothing stored): 503, retry after a moment."""
    return error(503, str(exc), {"Retry-After": str(exc.retry_after_s)})


def _json_object():
    """The request's JSON object; 415 unless the content type is JSON, 400 unless an object."""
    if not request.is_json:
        return None, error(415, f"Content-Type: must be application/json, got {request.content_type!r}")
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        return None, error(400, "body: JSON nested too deeply")
    if not isinstance(data, dict):
        return None, error(400, "body: must be a JSON object")
    return data, None


def _verified(store, body):
    """The request's terminal's row, locked until the transaction ends, once the request's signature is verified
    with the row's key and its nonce kept. (Every signed request locks its terminal before the nonces: one order.)"""
    terminal = store.terminals.locked(request_terminal(request.headers))
    verify(bytes.fromhex(terminal["key"]), request.method, request.path, request.headers, body,
           now=store.now().timestamp(), nonces=store.terminals.nonce_registry())
    return terminal


@bp.post("/enrol")
def enrol():
    """Enrol a terminal with a one-time code from the office; its key is returned this once.

    ``acked`` is the highest contiguous seq the hub already holds of that terminal: a terminal whose
    journal was wiped numbers its facts after it (else its pushes are refused as a journal reset).
    """
    data, refused = _json_object()
    if refused:
        return refused
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        return error(400, "code: must be a non-empty string")
    if not ENROLMENT_CODE.match(code):
        return error(400, "code: must be three groups of six hex digits, like 1A2B3C-4D5E6F-7A8B9C")
    store = get_store()
    terminal, key = store.terminals.enrol(code)
    return reply({"terminal": terminal, "key": key, "acked": store.terminals.get(terminal)["acked_seq"]}, 201)


@bp.post("/facts")
def push():
    """Store a signed batch of facts, all or nothing; answer the highest contiguous seq held."""
    body = request.get_data(cache=False)
    if not request.is_json:
        return error(415, f"Content-Type: must be application/json, got {request.content_type!r}")
    store = get_store()
    with store.transaction():
        terminal = _verified(store, body)
        acked = store.facts.ingest(parse_batch(body, terminal["id"], reader=read_body), terminal)
    wall_events.changed()
    return reply({"acked": acked})


@bp.get("/config")
def config():
    """The terminal's part of the hall config (signed request), with an ETag; 304 when its copy is current."""
    store = get_store()
    with store.transaction():
        terminal = _verified(store, request.get_data(cache=False))["id"]
        store.terminals.touch(terminal)
    document, version, etag = store.configs.terminal_config(terminal)
    if request.if_none_match.contains(etag):
        response = reply({}, 304, {"ETag": f'"{etag}"'})
        response.set_data(b"")
        return response
    return reply({"version": version, "etag": etag, "config": document}, 200, {"ETag": f'"{etag}"'})


@bp.get("/clock")
def clock():
    """The hub's time (unsigned: a terminal with no clock needs it before it can sign)."""
    return reply({})


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi.document())
