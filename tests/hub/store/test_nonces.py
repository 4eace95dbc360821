"""Replay nonces in the store: a nonce is refused twice; the old ones are forgotten at most once a minute per
process (a statement less per push), never one still inside the replay window."""
import pytest

from hub.store import terminals
from protocol.errors import ReplayedNonce

pytestmark = pytest.mark.backends()
TTL = terminals._StoredNonces.TTL_S


def held(store):
    return sorted(row[0] for row in store.conn.execute("SELECT nonce FROM nonces"))


def add(store, nonce, now):
    with store.transaction():
        store.terminals.nonce_registry().check_and_add("win-03", nonce, now)


def test_old_nonces_are_forgotten_once_a_minute_and_a_recent_one_is_still_refused(store, monkeypatch):
    monkeypatch.setitem(terminals._pruned, "at", None)
    add(store, "a" * 32, 10_000)
    store.conn.execute("INSERT INTO nonces (terminal, nonce, seen_s) VALUES ('win-03', ?, 0)", ("0" * 32,))
    add(store, "b" * 32, 10_000 + terminals._StoredNonces.PRUNE_EVERY_S - 1)
    assert held(store) == ["0" * 32, "a" * 32, "b" * 32], "pruned again within the minute"
    add(store, "c" * 32, 10_000 + terminals._StoredNonces.PRUNE_EVERY_S)
    assert held(store) == ["a" * 32, "b" * 32, "c" * 32], "the nonce past the replay window was kept"
    with pytest.raises(ReplayedNonce):
        add(store, "a" * 32, 10_000 + TTL)
