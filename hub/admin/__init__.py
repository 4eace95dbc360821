"""The coordination office's admin pages (协调股): login, live wall, records, leave, reports, setup."""
from . import (account, attendance, auditlog, auth, charts, errors, inspections, layout, leave, lists, login,  # noqa: F401 (views)
               overtime, ratings, records, register, reports, setup, wall)
from .blueprint import bp

__all__ = ["bp"]
