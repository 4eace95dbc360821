"""The obvious alternative to the hub's ingest, for ``bench/hub.py``: a minimal unsigned Flask + sqlite3 endpoint.

``POST /facts`` takes the same batch JSON as the hub and stores each fact's body once per (terminal, seq) in one
transaction on one shared connection (WAL and ``synchronous = FULL``, as the hub), answering the highest seq.
No signature, no nonce, no validation, no timing by clock anchors, no re-derivation marks: what a first
version written in an afternoon would do. Served by waitress, like the hub.
Usage: python bench/naive_hub.py DATABASE PORT
"""
import json
import sqlite3
import sys
import threading

import waitress
from flask import Flask, jsonify, request


def create_app(database):
    """The naive endpoint over the SQLite file *database*."""
    app = Flask(__name__)
    conn = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS facts (terminal TEXT, seq INTEGER, body TEXT, "
                 "PRIMARY KEY (terminal, seq)) WITHOUT ROWID")
    lock = threading.Lock()

    @app.get("/ready")
    def ready():
        return jsonify(ready=True)

    @app.post("/facts")
    def facts():
        rows = [(f["terminal"], f["seq"], json.dumps(f, ensure_ascii=False)) for f in request.get_json()["facts"]]
        with lock:
            conn.execute("BEGIN")
            conn.executemany("INSERT OR IGNORE INTO facts VALUES (?, ?, ?)", rows)
            conn.execute("COMMIT")
        return jsonify(acked=max(seq for _, seq, _ in rows))

    return app


if __name__ == "__main__":
    waitress.serve(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), threads=8)
