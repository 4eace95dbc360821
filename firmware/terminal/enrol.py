"""Enrolment: exchange the office's one-time code for this terminal's key (``hallpost terminal enrol``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from firmware.terminal.atomic import replace_file
from firmware.terminal.errors import EnrolError, HubUnreachable
from firmware.terminal.hubhttp import HubHttp

ENROL_PATH = "/api/v1/enrol"
KEY_MODE = 0o600
MIN_KEY_BYTES = 16
MAX_REPLY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Enrolment:
    """What the hub granted: the terminal id, where its key now lives, the hub's time then, and the highest
    seq of this terminal's facts the hub already holds (0 for a new terminal)."""

    terminal: str
    key_path: Path
    hub_time: str | None
    acked: int = 0


def enrol(hub_url: str, code: str, key_path: str | Path, *, terminal_id: str | None = None,
          timeout_s: float = 10.0, trust=None) -> Enrolment:
    """Trade a one-time code for the terminal's key and store it (mode 0600, atomically) at key_path.

    With ``terminal_id`` the code must belong to that terminal, else nothing is written. *trust* (a
    :class:`~firmware.terminal.hubhttp.HubTrust`) verifies an ``https://`` hub before the code is sent.
    """
    code = code.strip()
    if not code:
        raise EnrolError("code: must not be empty (ask the office for the window's enrolment code)")
    url = hub_url.rstrip("/") + ENROL_PATH
    status, reply = _post_json(HubHttp(trust, timeout_s=timeout_s), url, {"code": code})
    if status == 403:
        raise EnrolError(f"{url}: the hub refused code {code!r} ({_reason(reply)}): it is wrong, expired or "
                         "already used; ask the office for a new one")
    if status != 201:
        raise EnrolError(f"{url}: enrolment failed with HTTP {status} ({_reason(reply)})")
    if reply is None:
        raise EnrolError(f"{url}: the hub's reply is not a JSON object")
    terminal, key = _granted(url, reply)
    if terminal_id is not None and terminal != terminal_id:
        raise EnrolError(f"terminal: code {code!r} enrols {terminal!r}, not {terminal_id!r}; key not written")
    path = Path(key_path)
    write_key(path, key)
    hub_time, acked = reply.get("hub_time"), reply.get("acked")
    return Enrolment(terminal, path, hub_time if isinstance(hub_time, str) else None,
                     acked if isinstance(acked, int) and not isinstance(acked, bool) and acked > 0 else 0)


def continue_journal(journal_dir: str | Path, terminal: str, hub_acked: int) -> int | None:
    """Number a wiped terminal's facts after those the hub holds of it; the next seq, or None if not behind.

    A replacement card's fresh journal would start at seq 1, which the hub already holds from the old
    card (it refuses that as a reset journal). A journal at or past the hub's ack — a key rotation, a
    moved card — is left alone, and may stay open in the running service meanwhile.
    """
    from firmware.terminal.journal import META, Journal

    if hub_acked <= 0:
        return None
    if (Path(journal_dir) / META).exists():
        with Journal(journal_dir, terminal=terminal, read_only=True) as journal:
            if journal.next_seq > hub_acked:
                return None
    with Journal(journal_dir, terminal=terminal) as journal:    # JournalLocked while the service runs
        return journal.continue_after(hub_acked)


def write_key(path: Path, key_hex: str) -> None:
    """Write the key as one hex line, mode 0600, via a synced temporary file renamed into place."""
    replace_file(path, f"{key_hex}\n".encode("ascii"), mode=KEY_MODE)


def _post_json(http: HubHttp, url: str, body: dict) -> tuple[int, dict | None]:
    """POST a JSON body to the hub; (status, JSON reply)."""
    try:
        reply = http.request("POST", url, json.dumps(body).encode("utf-8"), max_bytes=MAX_REPLY_BYTES,
                             headers={"Content-Type": "application/json", "Accept": "application/json"})
    except HubUnreachable as exc:
        raise EnrolError(f"{url}: cannot reach the hub: {exc}") from exc
    return reply.status, _json_object(reply.body)


def _json_object(raw: bytes) -> dict | None:
    """The reply as a JSON object, or None when it is not one."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _granted(url: str, reply: dict) -> tuple[str, str]:
    terminal, key = reply.get("terminal"), reply.get("key")
    if not isinstance(terminal, str) or not terminal:
        raise EnrolError(f"{url}: terminal: missing from the hub's reply")
    if not isinstance(key, str):
        raise EnrolError(f"{url}: key: missing from the hub's reply")
    try:
        size = len(bytes.fromhex(key))
    except ValueError as exc:
        raise EnrolError(f"{url}: key: not hexadecimal") from exc
    if size < MIN_KEY_BYTES:
        raise EnrolError(f"{url}: key: {size} bytes, expected at least {MIN_KEY_BYTES}")
    return terminal, key.lower()


def _reason(reply: dict | None) -> str:
    return str((reply or {}).get("error") or "no reason given")
