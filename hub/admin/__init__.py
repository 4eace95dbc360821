"""The coordination office's admin pages (协调股): login, live wall, records, leave, reports, setup."""
from . import (account, alerts, attendance, auditlog, auth, cases, center, center_reports,  # noqa: F401 (views)
               charts, errors, halls, inspection_sheets, inspection_summary, inspections, integrity, layout, leave,
               lists, login, notice, notify, overtime, provincial, ranking, ratings, records, register, reports,
               setup, staff, wall)
from .blueprint import bp

__all__ = ["bp"]
