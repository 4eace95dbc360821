"""The coordination office's admin pages (协调股): login, live wall, records, leave, reports, setup."""
from . import (account, attendance, auditlog, auth, center, center_reports, charts, errors,  # noqa: F401 (views)
               halls, inspections, layout, leave, lists, login, overtime, ranking, ratings, records, register,
               reports, setup, staff, wall)
from .blueprint import bp

__all__ = ["bp"]
