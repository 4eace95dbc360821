"""The coordination office's admin pages (协调股): login, live wall, records, leave, reports, setup."""
from . import (account, attendance, auditlog, auth, center, charts, errors, halls, inspections,  # noqa: F401 (views)
               layout, leave, lists, login, overtime, ranking, ratings, records, register, reports, setup, wall)
from .blueprint import bp

__all__ = ["bp"]
