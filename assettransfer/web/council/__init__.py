"""Pages for council staff (officers, decision makers, legal, admins): ``/council``.

The dashboard's views are on the ``council`` blueprint itself; each other group of pages is a
nested blueprint in a ``views_*`` module (endpoints ``council.<name>.<view>``), so all of them
share the blueprint's access check.
"""
from . import (
    views_actions,
    views_assessment,
    views_assets,
    views_calendar,
    views_case,
    views_dashboard,
    views_jobs,
    views_reports,
    views_users,
)
from .blueprint import bp

for _module in (views_case, views_actions, views_assessment, views_assets, views_users,
                views_calendar, views_jobs, views_reports):
    bp.register_blueprint(_module.bp)
bp.register_blueprint(views_reports.annual_bp)

__all__ = ["bp", "views_dashboard"]
