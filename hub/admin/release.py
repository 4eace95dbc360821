"""The pages' release: a fingerprint of the templates and static files the hub serves, so that an open wall
notices a redeploy (wall.json names the release; the page reloads itself when it no longer matches its own)."""
import hashlib
from pathlib import Path

from flask import current_app

from .blueprint import bp

SERVED = Path(__file__).resolve().parents[1]
PARTS = ("templates", "static")


def fingerprint(root=SERVED):
    """A short SHA-256 of every file under *root*'s templates and static folders (names and contents)."""
    digest = hashlib.sha256()
    for part in PARTS:
        for path in sorted(p for p in (root / part).rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@bp.record_once
def init_release(state):
    """Set ``WALL_RELEASE`` (unless the app's config names one) to the fingerprint of the pages as started."""
    state.app.config.setdefault("WALL_RELEASE", fingerprint())


def release():
    """The release of the pages this hub serves (``WALL_RELEASE``)."""
    return current_app.config["WALL_RELEASE"]
