"""The hub's front door and its refusals: ``/`` leads to the user's landing page, and a 4xx on a page is a page
in the reader's language with the navigation (the API and the JSON/CSV answers keep their own). A write that
contradicts a decision already stored is a 409; a database too busy for the request a 503 with Retry-After."""
from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from ..store.errors import AlreadyClosed, DatabaseBusy
from . import sessions
from .blueprint import bp
from .context import StillDeriving

TITLES = {400: _l("This request cannot be answered"), 401: _l("Please log in"),
          403: _l("This page is not open to you"), 404: _l("There is no such page"),
          405: _l("This page cannot be used that way"), 409: _l("This has already been decided"),
          413: _l("What was sent is too large"), 429: _l("Too many requests; please wait a moment"),
          503: _l("The hub is busy; nothing was saved")}
REFUSED = _l("The request was refused")
MACHINE_ANSWERS = ("/api/",)
MACHINE_SUFFIXES = (".json", ".csv")


def front_door():
    """``/``: the user's landing page (the login page for nobody logged in)."""
    return redirect(url_for("admin.index"))


@bp.record_once
def add_front_door(state):
    """Serve ``/`` on the app the admin is registered on."""
    state.app.add_url_rule("/", "front_door", front_door)


def _user():
    """The logged-in user of this request, also where no admin view ran (an unknown address)."""
    if "user" not in g:
        live = current_user.is_authenticated and not sessions.expired()
        g.user = current_user._get_current_object() if live else None
    return g.user


@bp.app_errorhandler(HTTPException)
def refusal_page(exc):
    """A 4xx as a page: its title and, when the view said what is wrong, that message (Werkzeug's own stays out)."""
    if exc.code is None or exc.code < 400 or exc.code >= 500 or request.path.startswith(MACHINE_ANSWERS) \
            or request.path.endswith(MACHINE_SUFFIXES):
        return exc
    said = exc.description if exc.description != type(exc).description else None
    return _page(exc.code, said, dict(exc.get_headers()), _user())


@bp.app_errorhandler(AlreadyClosed)
def already_closed(exc):
    """A follow-up closed by someone else first: 409, nothing of this request stored."""
    return _page(409, _("This follow-up was already closed; your note was not saved."), {}, _user())


@bp.app_errorhandler(DatabaseBusy)
def busy(exc):
    """The database too busy for this request (rolled back, nothing stored): 503 with Retry-After, as a page, or as
    the message alone for a JSON/CSV answer."""
    headers = {"Retry-After": str(exc.retry_after_s)}
    if request.path.endswith(MACHINE_SUFFIXES) or request.path.startswith(MACHINE_ANSWERS):
        return {"error": str(exc)}, 503, headers
    return _page(503, _("Many requests reached the hub at once. Please try again in %(seconds)s seconds.",
                        seconds=exc.retry_after_s), headers, g.get("user"))    # no second look at the database


@bp.app_errorhandler(StillDeriving)
def still_deriving(exc):
    """An export whose span holds window-days still being derived: 503 with Retry-After, nothing exported."""
    message = _("%(count)s window-days of this period are still being re-judged from facts that arrived late; an "
                "export waits until they are. Please try again in a minute.", count=exc.count)
    headers = {"Retry-After": str(exc.retry_after_s)}
    if request.path.endswith(MACHINE_SUFFIXES):
        return {"error": message}, 503, headers
    return _page(503, message, headers, _user())


def _page(code, said, headers, user):
    """The refusal page of *code*, with what the view *said* is wrong (or None), for *user* (None: nobody)."""
    page = render_template("admin/error.html", code=code, title=TITLES.get(code, REFUSED), said=said, user=user)
    return page, code, headers
