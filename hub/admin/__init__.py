"""The coordination office's admin pages (协调股): login, live wall, records, leave, reports, setup."""
from . import (account, alerts, attendance, auditlog, auth, center, center_reports, charts,  # noqa: F401 (views)
               errors, halls, inspections, layout, leave, lists, login, overtime, ranking, ratings, records,
               register, reports, setup, wall)
from .blueprint import bp

__all__ = ["bp"]
