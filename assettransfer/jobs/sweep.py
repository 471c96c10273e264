"""The daily deadline sweep: take every system action a missed deadline calls for (overdue,
lapse, end of a moratorium, expiry), one transaction per case; then remind whoever must act of
the deadlines coming up (``services.notices``); and record the run.

Started by Celery beat in production and by ``flask deadlines sweep`` (cron, or by hand). Safe to
run twice: a second run finds nothing due. A run that stops part way stays on record unfinished.
"""

from datetime import date

from ..extensions import db
from ..models import Application, SweepRun
from ..models.types import utcnow
from ..services import deadlines, notices
from ..services.actions import take_action
from ..services.errors import DomainError
from ..services.transaction import transaction
from ..workflow import workflows
from ..workflow.context import SYSTEM

TAKEN, REFUSED, REMINDED = "taken", "refused", "reminded"
REMIND = "remind"


def run_sweep(today: date, started_by: str) -> SweepRun:
    with transaction():
        run = SweepRun(swept_on=today, started_by=started_by, started_at=utcnow())
        db.session.add(run)
    outcomes = []
    for application_id, action, expired_on in deadlines.missed_system_actions(workflows(), today):
        application = db.session.get(Application, application_id)
        outcome = {"reference": application.reference, "action": action, "outcome": TAKEN}
        try:
            with transaction():
                take_action(SYSTEM, application, action,
                            data={"expired_on": expired_on.isoformat()}, on=today)
        except DomainError as refused:
            outcome.update(outcome=REFUSED, message=refused.message)
        outcomes.append(outcome)
    with transaction():  # after the actions: a deadline they met or closed is not reminded of
        reminded = notices.send_reminders(today)
    outcomes += [{"reference": reference, "action": REMIND, "outcome": REMINDED,
                  "message": f"{count} reminder{'s' if count != 1 else ''}"}
                 for reference, count in reminded.items()]
    with transaction():
        run = db.session.merge(run)
        run.taken = sum(o["outcome"] == TAKEN for o in outcomes)
        run.refused = sum(o["outcome"] == REFUSED for o in outcomes)
        run.details, run.finished_at = outcomes, utcnow()
    return run
