"""The council dashboard and work queue, ``/council/``, and the ``next_deadline`` filter that
every council page shares."""

from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlencode

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from ...models import Role
from ...services import dashboard as dashboards
from ...services import operations, queue_export
from ...services.errors import ValidationFailed
from ...services.records import Page
from ...wording import long_date
from ...workflow import workflows
from ...workflow.calendar import uk_today
from ..forms import apply_errors
from ..forms.council import QueueFilterForm
from .blueprint import bp

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


@bp.app_template_filter("next_deadline")
def next_deadline(due_on, on=None) -> Markup:
    """A next deadline as its date with its status tag, if any."""
    if due_on is None:
        return Markup("None")
    day = escape(long_date(due_on))
    tag = deadline_status(due_on, on)
    if tag is None:
        return day
    # The tag's classes and text are ours, not user input.
    return Markup(f'{day} <strong class="govuk-tag {tag["classes"]} app-tag--inline">'
                  f'{tag["text"]}</strong>')


@dataclass(frozen=True)
class Listed:
    """An application as the dashboard's tables show it."""

    href: str
    reference: str
    asset: str
    organisation: str
    stage: str
    route: str
    next_deadline: Markup


def listed(page: Page) -> Page:
    """The page with its rows made ready to show. Done here rather than in the template: a
    Jinja call per cell costs several times the Python."""
    registry, on = workflows(), today()
    return replace(page, items=[
        Listed(url_for("council.case.show", application_id=row.id), row.reference, row.asset_name,
               row.organisation_name, registry[row.workflow].states[row.state].label,
               registry[row.workflow].title, next_deadline(row.next_due_on, on))
        for row in page.items
    ])


def stage_counts(counts: dict[str, dict[str, int]]) -> list[dict]:
    """Per route, each stage in the order the workflow declares it, with how many are there and
    the link to list them."""
    registry = workflows()
    shown = [registry[k] for k in registry.offered] + [
        w for w in registry if w.key not in registry.offered and w.key in counts]
    # One url_for and plain query strings: a url_for with arguments for each of ~45 stages
    # cost about a millisecond a page.
    base = url_for("council.dashboard")
    return [
        {
            "workflow": workflow,
            "total": sum(counts.get(workflow.key, {}).values()),
            "stages": [
                (state, counts.get(workflow.key, {}).get(state.name, 0),
                 f"{base}?"
                 f"{urlencode({'workflow': workflow.key, 'state': state.name, 'scope': 'all'})}"
                 "#queue")
                for state in workflow.states.values()
            ],
        }
        for workflow in shown
    ]


def queue_filters() -> tuple[QueueFilterForm, bool]:
    """The work queue's filters from the query string, and whether it shows every application
    (an admin's always does) rather than those waiting for the user's role."""
    filters = QueueFilterForm(request.args)
    filters.set_choices(workflows())
    return filters, current_user.role is Role.ADMIN or filters.scope.data == "all"


@bp.get("/")
def dashboard():
    filters, everything = queue_filters()
    admin = current_user.role is Role.ADMIN
    board = dashboards.board(
        current_user, filters=filters.service_filters(),
        awaiting_role=None if everything else current_user.role.value,
        page=request.args.get("page", 1), per_page=current_app.config.get("PAGE_SIZE", 20),
        list_size=LIST_SIZE, due_within_days=WEEK)
    if board.filter_error:
        apply_errors(filters, board.filter_error)
    return render_template(
        "council/dashboard.html",
        form=filters,
        queue=listed(board.queue),
        overdue=listed(board.overdue),
        due_soon=listed(board.due_soon),
        everything=everything,
        admin=admin,
        stages=stage_counts(board.stages),
        week_end=today() + timedelta(days=WEEK),
        sweep=operations.sweep_status(today()),
        jobs=operations.job_figures(),
    )


@bp.get("/queue.csv")
def queue_csv():
    """The work queue as the dashboard's filters choose it, every row, as CSV."""
    filters, everything = queue_filters()
    try:
        text = queue_export.queue_csv(
            current_user, awaiting_role=None if everything else current_user.role.value,
            **filters.service_filters())
    except ValidationFailed:  # the dashboard shows what is wrong with the filters
        return redirect(url_for("council.dashboard", **request.args) + "#queue")
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="work-queue-{today().isoformat()}.csv"'})
