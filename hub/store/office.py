"""The coordination office's own tables: users, leave requests, follow-up closures, inspections.

All their SQL lives here; :data:`SCHEMA` is the migration that creates them (appended to
``hub/store/migrations.py``). Functions take the hub's Store first (its ``conn`` and ``transaction()``)
and return plain dicts.
"""
import hashlib
import hmac
import json
import random
from datetime import timedelta, timezone

from werkzeug.security import generate_password_hash

SCHEDULED_BEFORE_END_MIN = 15
RANDOM_CHECKS = 2
SNAPSHOT_FIELDS = ("window", "name", "state", "holder", "holder_clerk", "waiting", "empty_since", "alarm",
                   "keypad", "last_sync", "offline_since")

SCHEMA = """
CREATE TABLE office_users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('office', 'viewer', 'leader')),
    department TEXT,
    display_name TEXT,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE leave_requests (
    id INTEGER PRIMARY KEY,
    clerk TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    kind TEXT NOT NULL,
    cover TEXT,
    note TEXT,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    config_version INTEGER
);
CREATE TABLE leave_approvals (
    request INTEGER NOT NULL REFERENCES leave_requests(id),
    tier TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    PRIMARY KEY (request, tier)
);
CREATE TABLE followup_closures (
    window TEXT NOT NULL,
    service INTEGER NOT NULL,
    done TEXT NOT NULL,
    closed_by TEXT NOT NULL,
    closed_at TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (window, service, done)
);
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    slot TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'random', 'manual')),
    due_at TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    taken_by TEXT,
    snapshot TEXT NOT NULL,
    UNIQUE (day, slot)
);
CREATE INDEX inspections_day ON inspections(day);
"""
# R9 (E §2(2)): 病假如无法及时办理请假手续，事后应补办，并提供医院诊断证明. NULL: not sick leave; 0 / 1: not / provided.
LEAVE_CERTIFICATE = """
ALTER TABLE leave_requests ADD COLUMN certificate INTEGER CHECK (certificate IN (0, 1));
"""
USER_FIELDS = ("id", "username", "password_hash", "role", "department", "display_name", "active", "session_version")


def _rows(cursor):
    return [dict(row) for row in cursor]


def _one(cursor):
    row = cursor.fetchone()
    return None if row is None else dict(row)


def create_user(store, username, password, role, *, department=None, display_name=None):
    """Add an office user with a hashed password; return its id."""
    return add_user(store, username, generate_password_hash(password), role, department=department,
                    display_name=display_name)


def add_user(store, username, password_hash, role, *, department=None, display_name=None):
    """Add an office user whose password is already hashed (werkzeug format); return its id."""
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO office_users (username, password_hash, role, department, display_name) "
            "VALUES (?, ?, ?, ?, ?)", (username, password_hash, role, department, display_name))
    return cur.lastrowid


def user_by_name(store, username):
    """The user called *username*, or None."""
    return _one(store.conn.execute(f"SELECT {', '.join(USER_FIELDS)} FROM office_users WHERE username = ?",
                                   (username,)))


def user_by_id(store, user_id):
    """The active user with id *user_id*, or None."""
    return _one(store.conn.execute(
        f"SELECT {', '.join(USER_FIELDS)} FROM office_users WHERE id = ? AND active = 1", (user_id,)))


def users(store):
    """All users, by name."""
    return _rows(store.conn.execute(
        "SELECT id, username, role, department, display_name, active FROM office_users ORDER BY username"))


def set_user_active(store, user_id, active):
    """Enable or disable a user's login; disabling ends their sessions (the session version moves on)."""
    with store.transaction():
        store.conn.execute("UPDATE office_users SET active = ?, session_version = session_version + ? WHERE id = ?",
                           (1 if active else 0, 0 if active else 1, user_id))


def add_leave_request(store, *, clerk, start, end, kind, cover, note, requested_by, requested_at, certificate=None):
    """File a leave request (times as ISO strings; *certificate* True/False for sick leave); return its id."""
    with store.transaction():
        cur = store.conn.execute(
            'INSERT INTO leave_requests (clerk, start, "end", kind, cover, note, requested_by, requested_at, '
            "certificate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (clerk, start, end, kind, cover, note, requested_by, requested_at,
             None if certificate is None else int(certificate)))
    return cur.lastrowid


def set_certificate(store, request_id, provided):
    """Record whether a sick leave's hospital certificate (医院诊断证明) has been provided."""
    with store.transaction():
        store.conn.execute("UPDATE leave_requests SET certificate = ? WHERE id = ?", (int(provided), request_id))


def leave_requests(store, *, status=None):
    """Leave requests, newest first, each with its ``approvals`` list of {tier, approved_by, approved_at}."""
    where, args = ("WHERE status = ?", (status,)) if status else ("", ())
    requests = _rows(store.conn.execute(
        'SELECT id, clerk, start, "end", kind, cover, note, requested_by, requested_at, status, config_version, '
        f"certificate FROM leave_requests {where} ORDER BY id DESC", args))
    approvals = {}
    for row in _rows(store.conn.execute(
            "SELECT request, tier, approved_by, approved_at FROM leave_approvals ORDER BY approved_at")):
        approvals.setdefault(row.pop("request"), []).append(row)
    for request in requests:
        request["approvals"] = approvals.get(request["id"], [])
    return requests


def leave_request(store, request_id):
    """One leave request with its approvals, or None."""
    return next((r for r in leave_requests(store) if r["id"] == request_id), None)


def approve_leave(store, request_id, tier, *, approved_by, approved_at):
    """Record *tier*'s approval of a request (again is a no-op)."""
    with store.transaction():
        store.conn.execute("INSERT OR IGNORE INTO leave_approvals (request, tier, approved_by, approved_at) "
                           "VALUES (?, ?, ?, ?)", (request_id, tier, approved_by, approved_at))


def decide_leave(store, request_id, status, *, config_version=None):
    """Mark a request approved (with the config version that carries it) or rejected."""
    with store.transaction():
        store.conn.execute("UPDATE leave_requests SET status = ?, config_version = ? WHERE id = ?",
                           (status, config_version, request_id))


def close_followup(store, *, window, service, done, closed_by, closed_at, note):
    """Close the follow-up of a low rating with the office's note."""
    with store.transaction():
        store.conn.execute("INSERT INTO followup_closures (window, service, done, closed_by, closed_at, note) "
                           "VALUES (?, ?, ?, ?, ?, ?)", (window, service, done, closed_by, closed_at, note))


def followup_closures(store):
    """Closures keyed by (window, service, done)."""
    return {(r["window"], r["service"], r["done"]): r for r in _rows(store.conn.execute(
        "SELECT window, service, done, closed_by, closed_at, note FROM followup_closures"))}


def add_inspection(store, *, day, slot, kind, due_at, taken_at, taken_by, snapshot):
    """Keep an inspection's snapshot (times as aware datetimes); return False when the slot was taken."""
    with store.transaction():
        cur = store.conn.execute(
            "INSERT OR IGNORE INTO inspections (day, slot, kind, due_at, taken_at, taken_by, snapshot) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (day, slot, kind, _utc(due_at), _utc(taken_at), taken_by, json.dumps(snapshot, ensure_ascii=False)))
    return cur.rowcount == 1


def _utc(moment):
    """An aware datetime as ISO 8601 UTC (so stored times sort as text)."""
    return moment.astimezone(timezone.utc).isoformat()


def inspection_slots(store, day):
    """The slots already taken on *day* (ISO date)."""
    return {row[0] for row in store.conn.execute("SELECT slot FROM inspections WHERE day = ?", (day,))}


def inspections(store, day):
    """The inspections of *day* in time order, snapshots decoded."""
    rows = _rows(store.conn.execute(
        "SELECT id, day, slot, kind, due_at, taken_at, taken_by, snapshot FROM inspections "
        "WHERE day = ? ORDER BY due_at, id", (day,)))
    for row in rows:
        row["snapshot"] = json.loads(row["snapshot"])
    return rows


def inspection_times(config, day, secret):
    """R7's checks of *day*: (slot, kind, due), one before each session's end and two at random times.

    R7: "上、下午下班前由行政中心协调股实行两次督查,上班期间不定时进行两次抽查". The random times are drawn
    from the day's session hours by a generator seeded with the HMAC of the date under the hub's own
    *secret* (``Store.inspection_secret``): every hub process agrees on a day's times and they stay
    fixed all day, but nobody can work them out beforehand from the source or the date.
    """
    sessions = config.sessions_on(day)
    times = [(f"scheduled-{s.name}", "scheduled", end - timedelta(minutes=SCHEDULED_BEFORE_END_MIN))
             for s, _, end in sessions]
    total = sum((end - start).total_seconds() for _, start, end in sessions)
    rng = random.Random(hmac.new(bytes.fromhex(secret), day.isoformat().encode(), hashlib.sha256).digest())
    for i in range(RANDOM_CHECKS if total else 0):
        offset = rng.uniform(0, total)
        for _, start, end in sessions:
            length = (end - start).total_seconds()
            if offset < length:
                times.append((f"random-{i + 1}", "random", start + timedelta(seconds=int(offset))))
                break
            offset -= length
    return sorted(times, key=lambda item: item[2])


def snapshot(store, at):
    """Every window's state at *at*, reduced to what an inspection keeps."""
    return [{k: entry[k] for k in SNAPSHOT_FIELDS} for entry in store.live_wall(at)]


def take_due_inspections(store, now):
    """Take every inspection of today that is due and not yet taken; return how many were taken."""
    config = store.hall()
    day = now.astimezone(config.tz).date()
    taken = inspection_slots(store, day.isoformat())
    count = 0
    for slot, kind, due in inspection_times(config, day, store.inspection_secret()):
        if due <= now and slot not in taken:
            count += add_inspection(store, day=day.isoformat(), slot=slot, kind=kind, due_at=due, taken_at=now,
                                    taken_by=None, snapshot=snapshot(store, due))
    return count
