"""Pages for council staff (officers, decision makers, legal, admins): ``/council``.

This module holds the blueprint, the dashboard and the work queue; the other pages are nested
blueprints in ``council_*.py`` (their endpoints are ``council.<name>.<view>``), and all of them
share this blueprint's access check and template helpers.
"""

from datetime import timedelta

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from ..models import Role
from ..services import queues
from ..services.errors import ValidationFailed
from ..services.records import Page
from ..workflow import workflows
from ..workflow.calendar import uk_today
from . import council_actions, council_assessment, council_assets, council_case, council_users
from .access import require_council
from .forms import apply_errors
from .forms.council import QueueFilterForm

bp = Blueprint("council", __name__, url_prefix="/council")
bp.before_request(require_council)
for child in (council_case.bp, council_actions.bp, council_assessment.bp, council_assets.bp,
              council_users.bp):
    bp.register_blueprint(child)

LIST_SIZE = 10  # rows in the overdue and due-this-week lists
WEEK = 7


def today():
    return uk_today()


def deadline_status(due_on, on=None) -> dict | None:
    """A tag for a next deadline: overdue (red), due within a week (yellow), else none."""
    if due_on is None:
        return None
    days = (due_on - (on or today())).days
    if days < 0:
        return {"text": "Overdue", "classes": "govuk-tag--red"}
    if days <= WEEK:
        return {"text": "Due this week", "classes": "govuk-tag--yellow"}
    return None


@bp.context_processor
def _council_context() -> dict:
    registry = workflows()

    def state_label(application) -> str:
        return registry[application.workflow].states[application.state].label

    def workflow_title(application) -> str:
        return registry[application.workflow].title

    return {"state_label": state_label, "workflow_title": workflow_title,
            "deadline_status": deadline_status}


def stage_counts() -> list[dict]:
    """Per route, each stage in the order the workflow declares it, with how many are there."""
    counts = queues.counts_by_stage()
    registry = workflows()
    shown = [registry[k] for k in registry.offered] + [
        w for w in registry if w.key not in registry.offered and w.key in counts]
    return [
        {
            "workflow": workflow,
            "total": sum(counts.get(workflow.key, {}).values()),
            "stages": [(state, counts.get(workflow.key, {}).get(state.name, 0))
                       for state in workflow.states.values()],
        }
        for workflow in shown
    ]


def due_this_week() -> tuple[list, int]:
    """Applications due in the next week that are not yet overdue, and how many there are."""
    due = queues.list_applications(current_user, due_within_days=WEEK, not_overdue=True,
                                   per_page=LIST_SIZE)
    return due.items, due.total


@bp.get("/")
def dashboard():
    filters = QueueFilterForm(request.args)
    filters.set_choices(workflows())
    admin = current_user.role is Role.ADMIN
    everything = admin or filters.scope.data == "all"
    size = current_app.config.get("PAGE_SIZE", 20)
    try:
        queue = queues.list_applications(
            current_user, **filters.service_filters(),
            awaiting_role=None if everything else current_user.role.value,
            page=request.args.get("page", 1), per_page=size)
    except ValidationFailed as exc:
        apply_errors(filters, exc)
        queue = Page([], 0, 1, size)
    overdue = queues.list_applications(current_user, overdue=True, per_page=LIST_SIZE)
    due, due_total = due_this_week()
    return render_template(
        "council/dashboard.html",
        form=filters,
        queue=queue,
        everything=everything,
        admin=admin,
        overdue=overdue,
        due=due,
        due_total=due_total,
        stages=stage_counts(),
        week_end=today() + timedelta(days=WEEK),
    )
