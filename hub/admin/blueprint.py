"""The admin blueprint object; view modules attach their routes to it."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
