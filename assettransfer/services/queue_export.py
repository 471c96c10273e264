"""The council's work queue as CSV: every row the queue's filters choose (not just one page),
soonest deadline first, with the columns a spreadsheet needs."""
import csv
import io

from sqlalchemy import func, select

from ..extensions import db
from ..models import Application, Asset, Event, Organisation, Role
from ..workflow import workflows
from .errors import NotAllowed
from .queues import SOONEST_FIRST, matching_ids
from .report_periods import uk_date
from .report_tables import safe_cell

HEADINGS = ("Reference", "Asset", "Group", "Route", "Stage", "Started", "Sent",
            "Last changed", "Next deadline", "Officer")


def queue_csv(user, *, awaiting_role: str | None, **filters) -> str:
    """The queue ``queues.matching_ids`` gives for these filters (bad ones are
    ValidationFailed), one line per application. "Officer" is whoever took the case's latest
    officer action, as its notices are addressed."""
    if not user.is_council:
        raise NotAllowed("Only council staff can download the work queue")
    ids = matching_ids(user, awaiting_role=awaiting_role, **filters).subquery()
    latest = (select(Event.application_id, func.max(Event.seq).label("seq"))
              .where(Event.actor_role == Role.OFFICER.value,
                     Event.application_id.in_(select(ids.c.id)))
              .group_by(Event.application_id).subquery())
    officer = (select(Event.application_id, Event.actor_name)
               .join(latest, (latest.c.application_id == Event.application_id)
                     & (latest.c.seq == Event.seq)).subquery())
    rows = db.session.execute(
        select(Application.reference, Asset.name, Organisation.name, Application.workflow,
               Application.state, Application.created_at, Application.submitted_at,
               Application.updated_at, Application.next_due_on, officer.c.actor_name)
        .join(ids, ids.c.id == Application.id)
        .join(Application.asset).join(Application.organisation)
        .outerjoin(officer, officer.c.application_id == Application.id)
        .order_by(*SOONEST_FIRST))
    registry = workflows()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for (reference, asset, group, workflow_key, state, created, sent, changed, due,
         officer_name) in rows:
        workflow = registry.get(workflow_key)
        writer.writerow([safe_cell(cell) for cell in (
            reference, asset, group, workflow.title if workflow else workflow_key,
            workflow.states[state].label if workflow and state in workflow.states else state,
            uk_date(created).isoformat(), uk_date(sent).isoformat() if sent else "",
            uk_date(changed).isoformat(), due.isoformat() if due else "", officer_name)])
    return out.getvalue()
