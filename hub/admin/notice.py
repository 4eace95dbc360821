"""The month's ratings notice for the hall's notice board (上墙, 公开): the published results, printable on A4,
with a QR code to the hall's public page when it has one."""
import io

import segno
from flask import g, render_template, url_for
from markupsafe import Markup

from ..public_results import published
from ..store.configs import hall_id
from .auth import roles
from .blueprint import bp
from .context import hall, store
from .periods import month_arg, today


def qr_svg(address):
    """An inline SVG QR code of *address*."""
    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="svg", scale=3, xmldecl=False, svgns=True, svgclass="qr")
    return Markup(out.getvalue().decode("ascii"))


@bp.route("/ratings/notice")
@roles("office")
def ratings_notice():
    """The month's ratings notice (``?month=YYYY-MM``): each window's ratings and 差评 handled, ``?print=1`` on A4."""
    config = hall()
    first, last = month_arg()
    ident = g.hall or hall_id(config)
    lines, totals = published(store(), ident, first, last)
    address = url_for("public.ratings", hall=ident, month=first.strftime("%Y-%m"), _external=True)
    return render_template("admin/ratings_notice.html", config=config, lines=lines, totals=totals,
                           month=first.strftime("%Y-%m"), as_of=min(today(), last), address=address,
                           qr=qr_svg(address) if config.public.enabled else None)
