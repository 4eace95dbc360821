"""Login under attack: the unauthenticated API's latency while many clients guess passwords, and user enumeration.

Starts ``hallpost hub serve`` (waitress, 8 threads) from the source tree ``--src`` (default: this one, so an
older tree can be measured the same way) on 127.0.0.1 with one office account, then
1. times wrong-password logins for the known account and for unknown names (4 each, below any lockout);
2. times ``GET /api/v1/clock`` alone, then while ``--guessers`` threads post wrong passwords as fast as
   answered, each guess from another loopback address (127.0.0.2–254): first for the known account (the
   attack as it comes), then for unknown names, which no lockout stops, so what remains is the cost of
   hashing the guesses.
Usage: python bench/login.py [--guessers 16] [--probes 40] [--src DIR]
Last line: {"api_median_ms_idle": .., "api_median_ms_known_guesses": .., "known_user_ms": .., ...}
"""
import argparse
import collections
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "bench login phrase"


def hallpost(src, *args, **kwargs):
    env = dict(os.environ, PYTHONPATH=src)
    return subprocess.Popen([sys.executable, "-m", "protocol.cli", *args], cwd=src, env=env, **kwargs)


def start_hub(src, workdir, port):
    """Initialise a database and serve it; return the server process once it answers."""
    secret = os.path.join(workdir, "password")
    with open(secret, "w", encoding="utf-8") as f:
        f.write(PASSWORD + "\n")
    db = os.path.join(workdir, "hub.sqlite")
    if hallpost(src, "hub", "init", "--db", db, "--config", "hardware/hall/hall.toml", "--password-file", secret,
                stdout=subprocess.DEVNULL).wait() != 0:
        raise RuntimeError("hub init failed")
    process = hallpost(src, "hub", "serve", "--db", db, "--port", str(port), "--derive-every", "0",
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            if get(port, "/api/v1/clock")[0] == 200:
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("hub did not start")


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.read().decode(), answer.getheader("Set-Cookie")
    finally:
        conn.close()


def login_form(port):
    """A session cookie and the CSRF token of the login form."""
    _, page, cookie = get(port, "/admin/login")
    return cookie.split(";")[0], re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def post_login(port, form, username, password, source="127.0.0.1"):
    """One login attempt from *source*; returns (status, seconds)."""
    cookie, token = form
    body = urlencode({"username": username, "password": password, "csrf_token": token})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    started = time.perf_counter()
    try:
        conn.request("POST", "/admin/login", body, {"Cookie": cookie,
                                                     "Content-Type": "application/x-www-form-urlencoded"})
        answer = conn.getresponse()
        answer.read()
        return answer.status, time.perf_counter() - started
    finally:
        conn.close()


def api_median_ms(port, probes):
    times = []
    for _ in range(probes):
        started = time.perf_counter()
        get(port, "/api/v1/clock")
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.02)
    return round(statistics.median(times), 1)


def under_flood(port, args, username):
    """The API's median while *args.guessers* threads guess passwords for *username* (None: a new name each
    time), each guess from the next loopback address; and the statuses the guesses got."""
    stop, statuses = threading.Event(), collections.Counter()

    def guess(n):
        form, i = login_form(port), 0
        while not stop.is_set():
            i += 1
            source = f"127.0.0.{2 + (n * 97 + i) % 253}"
            statuses[post_login(port, form, username or secrets.token_hex(6), "wrong guess", source)[0]] += 1
    threads = [threading.Thread(target=guess, args=(n,), daemon=True) for n in range(args.guessers)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    median = api_median_ms(port, args.probes)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    return median, dict(statuses)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guessers", type=int, default=16)
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--src", default=ROOT, help="the source tree whose hub is served")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        port = 20000 + secrets.randbelow(20000)
        process = start_hub(os.path.abspath(args.src), workdir, port)
        try:
            form = login_form(port)
            known = [post_login(port, form, "office", f"wrong {i}", "127.0.0.2")[1] * 1000 for i in range(4)]
            unknown = [post_login(port, form, f"nobody{i}", "wrong", "127.0.0.3")[1] * 1000 for i in range(4)]
            idle = api_median_ms(port, args.probes)
            known_flood, known_statuses = under_flood(port, args, "office")
            unknown_flood, unknown_statuses = under_flood(port, args, None)
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(json.dumps({"known_user_ms": round(statistics.median(known), 1),
                      "unknown_user_ms": round(statistics.median(unknown), 1), "api_median_ms_idle": idle,
                      "api_median_ms_known_guesses": known_flood, "known_guess_statuses": known_statuses,
                      "api_median_ms_unknown_guesses": unknown_flood, "unknown_guess_statuses": unknown_statuses,
                      "guessers": args.guessers}))


if __name__ == "__main__":
    main()
