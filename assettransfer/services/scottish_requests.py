"""What an asset transfer request under the Community Empowerment (Scotland) Act 2015, Part 5,
reads from the other requests for the same land: the s84 bar on disposing of it, and the s93
power to decline a repeat of a refused request. Guards (``guards.py``) turn these into reasons.
"""
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Application
from ..workflow import workflows
from .case_facts import answer, recorded

# The data the route's 'validate' action records (workflows/scotland-atr.yaml): the day the
# request was made (SSI 2016/357 reg 5) and the council's s84 position with its evidence.
REQUEST_MADE_ON = "validation_date"
S84_POSITION = "s84_position"
S84_BARRED = "barred"  # the restriction applies; every other position is a recorded exception
S84_SINCE = "s84_exception_since"
S84_EVIDENCE = "s84_evidence"


def is_live(application: Application) -> bool:
    """Sent and not yet at an end: a request the authority is still dealing with."""
    workflow = workflows()[application.workflow]
    return (application.state != workflow.initial_state
            and not workflow.states[application.state].final)


def _others_for_the_land(application: Application, workflow_key: str) -> list[Application]:
    return list(db.session.scalars(
        select(Application).where(Application.asset_id == application.asset_id,
                                  Application.workflow == workflow_key,
                                  Application.id != application.id)
        .order_by(Application.id)
    ))


def requests_barring_disposal(application: Application, workflow_key: str) -> list[Application]:
    """The live ``workflow_key`` requests for ``application``'s land, made by another body, under
    which s84(2) bars disposing of the land to ``application``'s body.

    A request that is not yet validated bars it too: its validation date is the day the last
    information arrived (reg 5), which can be earlier than the day the officer validates it, so a
    disposal meanwhile could fall inside its relevant period (s84(3)).
    """
    if workflows().get(workflow_key) is None:
        return []
    return [
        other for other in _others_for_the_land(application, workflow_key)
        if other.organisation_id != application.organisation_id and is_live(other)
        and recorded(other, S84_POSITION) in (None, S84_BARRED)
    ]


def refused_requests_like(application: Application, same: str,
                          refused_states) -> list[tuple[Application, date]]:
    """Earlier requests for the same land, with the same answer at ``same`` (the type of
    transfer), whose refusal is final (they are in one of ``refused_states``), each with the day
    it was made (its validation date, reg 5)."""
    found = []
    for other in _others_for_the_land(application, application.workflow):
        if other.state not in refused_states or answer(other, same) != answer(application, same):
            continue
        made_on = recorded(other, REQUEST_MADE_ON)
        if made_on is not None:
            found.append((other, date.fromisoformat(made_on)))
    return found
