"""How ``hallpost hub serve`` runs waitress: limits that keep one client from shutting the others out.

waitress's defaults let ~100 idle or slowly-sent connections take every slot (its connection limit is
100), keep a stalled client for two minutes, and spool request bodies of up to 1 GiB to disk before the
app's own 413. Here the body limit is the wire's (a terminal's batch or an enrolment never needs more),
checked on Content-Length before a byte of the body is read and on chunked bodies as they arrive.
On PostgreSQL each of waitress's threads has a connection of its own in the process's pool (and the deriver
and the alert evaluator one more each), so no request waits for another's connection however many threads are
asked for. The live walls' event streams each hold a waitress thread while open: ``--wall-streams`` of them at
most, on threads added to ``--threads``, so open walls never take the threads the terminals' pushes are served on;
and the requests are let in ``--threads`` at a time whichever thread takes them (:mod:`hub.slots`), so the extra
threads never run more requests at once than the pool has connections for.
"""
import gc

from protocol.wire import MAX_BODY_BYTES

from .wall_events import MAX_STREAMS

from .store.database import dialect_of

CONNECTION_LIMIT = 500              # idle or slow clients it takes to shut the hall out
CHANNEL_TIMEOUT_S = 20              # a connection silent this long is closed
MAX_HEADER_BYTES = 32 * 1024        # request line and headers (signed headers, a session cookie)
CHUNK_FRAMING_BYTES = 64 * 1024     # chunk-size lines around a chunked body of MAX_BODY_BYTES
DERIVER_CONNECTIONS = 1             # the background deriver's store, beside the request threads'
ALERTING_CONNECTIONS = 2            # the background alert evaluator's store and the notification worker's
# The cycle collector's young generation is collected every GC_YOUNG_OBJECTS new containers rather than CPython's 700.
# A push of 500 facts makes ~5,000 (each fact's dicts and its Fact), all alive until it is answered: at 700 each was
# looked at again in the young collections and carried into the old generation, whose full collections then walked
# it with every object of the application. bench/hub.py: the hub's CPU a fact 4% lower (the collector off: 4.5%).
GC_YOUNG_OBJECTS = 10_000


def settle_memory():
    """Ready the cycle collector for serving: what is loaded by now (the app, its modules, templates) frozen out of
    its passes (``gc.freeze``: it lives as long as the process), and a young generation that holds a push."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_OBJECTS, *gc.get_threshold()[1:])


def add_arguments(parser):
    """The serving limits of ``hub serve``, each with its safe default."""
    parser.add_argument("--connection-limit", type=positive, default=CONNECTION_LIMIT, metavar="N",
                        help=f"simultaneous connections (default {CONNECTION_LIMIT})")
    parser.add_argument("--channel-timeout", type=positive, default=CHANNEL_TIMEOUT_S, metavar="SECONDS",
                        help=f"close a connection silent this long (default {CHANNEL_TIMEOUT_S})")
    parser.add_argument("--max-header-bytes", type=positive, default=MAX_HEADER_BYTES, metavar="BYTES",
                        help=f"request line and headers (default {MAX_HEADER_BYTES}; more is 431)")
    parser.add_argument("--max-body-bytes", type=positive, default=MAX_BODY_BYTES, metavar="BYTES",
                        help=f"request body (default {MAX_BODY_BYTES}, the wire's limit; more is 413, unread)")
    parser.add_argument("--trusted-proxies", type=int, default=0, choices=range(0, 4), metavar="N",
                        help="believe X-Forwarded-For/-Proto/-Host/-Port from this many reverse proxies in "
                             "front (default 0: none; 1 behind the shipped nginx site)")
    parser.add_argument("--wall-streams", type=non_negative, default=MAX_STREAMS, metavar="N",
                        help=f"live walls' event streams open at once, on threads of their own beside --threads "
                             f"(default {MAX_STREAMS}; 0: every wall polls)")


def waitress_options(args):
    """The keyword arguments of ``waitress.serve`` for parsed ``hub serve`` *args*."""
    return {
        "host": args.host, "port": args.port, "threads": args.threads + args.wall_streams,
        "connection_limit": args.connection_limit,
        "channel_timeout": args.channel_timeout,
        "cleanup_interval": max(1, args.channel_timeout // 2),
        "max_request_header_size": args.max_header_bytes,
        # waitress refuses a Content-Length at or over its limit, and counts chunk framing as body
        "max_request_body_size": args.max_body_bytes + CHUNK_FRAMING_BYTES,
        "asyncore_use_poll": True,          # select() fails past file descriptor 1023
        # waitress strips X-Forwarded-* itself unless told otherwise; behind the proxy, ProxyFix reads them
        "clear_untrusted_proxy_headers": args.trusted_proxies == 0,
    }


def size_database_pool(args):
    """On PostgreSQL, a pool of a connection per ``--threads`` thread, the deriver's and the alert evaluator's (at
    least the default)."""
    if dialect_of(args.db) == "postgresql":
        from .store.postgresql import size_pools
        size_pools(args.threads + DERIVER_CONNECTIONS + ALERTING_CONNECTIONS)


def positive(text):
    """A whole number of at least 1 (argparse names the option when it is not)."""
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def non_negative(text):
    """A whole number of at least 0 (argparse names the option when it is not)."""
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value
