"""The month's evaluations for the provincial 好差评 platform (:mod:`hub.provincial`): JSON Lines and CSV
downloads of the request's hall, the office's; each download audited."""
from flask import Response, g, request

from ..provincial import csv_bytes, evaluations, jsonl
from .auth import roles
from .blueprint import bp
from .context import audit, store
from .periods import month_arg

TYPES = {"jsonl": ("application/jsonl", jsonl), "csv": ("text/csv", csv_bytes)}


@bp.route("/evaluations.<any(jsonl, csv):fmt>")
@roles("office")
def evaluations_export(fmt):
    """The evaluations of the month ``?month=YYYY-MM`` (default this month) as JSON Lines or CSV."""
    first, last = month_arg()
    mimetype, encode = TYPES[fmt]
    name = f"evaluations-{g.hall}-{first:%Y-%m}.{fmt}"
    body = encode(evaluations(store(), g.hall, first, last))
    audit("export evaluations", {"report": name, "query": request.query_string.decode()})
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"})
