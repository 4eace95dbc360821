"""Office passwords: the policy a new password meets, and hashing that cannot take over the server.

A password hash (werkzeug's scrypt: about 0.1 s of CPU and 32 MiB each) runs in one of a few slots, so
parallel guesses at the login form cannot occupy every core and every server thread: a login check that
finds every slot busy is answered at once ("busy, try again") instead of queueing. An unknown or disabled
user is checked against a dummy hash, so their answer takes as long as a known user's.
"""
import functools
import os
import secrets
import threading
from importlib import resources

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 128
HASH_SLOTS = max(1, (os.cpu_count() or 2) // 2)
SLOTS = threading.BoundedSemaphore(HASH_SLOTS)


class WeakPassword(ValueError):
    """A new password that the policy refuses: *key* names the rule (for translated text), *limit* its number."""

    def __init__(self, key, message, limit=None):
        super().__init__(message)
        self.key, self.limit = key, limit


class HashingBusy(RuntimeError):
    """Every hashing slot is taken by other login checks."""


@functools.cache
def common_passwords():
    """The shipped list of common passwords (lower case), as a set."""
    text = resources.files("hub").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def check_policy(password, username):
    """Raise WeakPassword unless *password* is 10–128 characters, not common and not built on *username*."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword("password_too_short", f"password: must be at least {MIN_LENGTH} characters "
                           f"(has {len(password)})", MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise WeakPassword("password_too_long", f"password: must be at most {MAX_LENGTH} characters "
                           f"(has {len(password)})", MAX_LENGTH)
    if len(set(password)) < 3:
        raise WeakPassword("password_repetitive", "password: must not repeat one or two characters")
    if password.lower() in common_passwords():
        raise WeakPassword("password_common", "password: is one of the most common passwords")
    if username and username.lower() in password.lower():
        raise WeakPassword("password_has_username", f"password: must not contain the user name {username!r}")


def hash_password(password):
    """The werkzeug hash of *password*, computed in a hashing slot (waits for one)."""
    with SLOTS:
        return generate_password_hash(password)


@functools.cache
def dummy_hash():
    """A hash of a random password, made like every real one (the app makes it at start-up)."""
    return generate_password_hash(secrets.token_hex(16))


def verify(password_hash, password):
    """Whether *password* matches *password_hash* (None: no such user, checked against a dummy hash).

    Raises HashingBusy at once when every hashing slot is taken."""
    if not SLOTS.acquire(blocking=False):
        raise HashingBusy(f"all {HASH_SLOTS} password hashing slots are busy")
    try:
        matches = check_password_hash(password_hash or dummy_hash(), password)
    finally:
        SLOTS.release()
    return matches and password_hash is not None
