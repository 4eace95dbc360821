"""Pages anyone may read, without an account: a hall's published ratings of the month (公开), when the hall's
config turns its public page on. Read only, rate-limited, no session; no personal data beyond what the hall posts
(clerks named as its ``[public] clerk_names`` says)."""
from flask import Blueprint, abort, g, render_template

from ..admin.extensions import limiter
from ..admin.periods import month_arg, today
from ..db import get_store
from ..public_results import published

bp = Blueprint("public", __name__, url_prefix="/public")
CACHE_SECONDS = 300
RATE = "60 per minute"


def public_hall(hall):
    """*hall*'s current config, or 404 for a hall unknown or not published; the request's hall from then on."""
    try:
        config = get_store().configs.hall(hall)
    except LookupError:
        abort(404)
    if not config.public.enabled:
        abort(404)
    g.hall = hall
    return config


@bp.route("/<hall>/ratings")
@limiter.limit(RATE)
def ratings(hall):
    """A hall's ratings of a month (``?month=YYYY-MM``, default this month), as it publishes them."""
    config = public_hall(hall)
    first, last = month_arg()
    lines, totals = published(get_store(), hall, first, last)
    page = render_template("public/ratings.html", config=config, lines=lines, totals=totals,
                           month=first.strftime("%Y-%m"), as_of=min(today(), last))
    return page, 200, {"Cache-Control": f"public, max-age={CACHE_SECONDS}"}
