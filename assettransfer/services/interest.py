"""A community interest group's request to be treated as a potential bidder for listed land.

Any community interest group may ask, not only the group that nominated the land (Localism Act
2011 s95(3)(a)). A group registered here asks through ``ask_to_bid``: it takes the same workflow
action an officer takes for a request that arrives by post, open to the role ``other_group``, so
the request is checked against the same clock and has the same effects (the full moratorium, the
acknowledgement, and the notice passing the request to the owner, s98).
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Application, Asset, Organisation, Role
from ..workflow import workflows
from ..workflow.calendar import uk_today
from ..workflow.definition import OTHER_GROUP, Action
from .actions import take_action
from .deadlines import current_deadlines
from .errors import FieldError, NotAllowed, ValidationFailed

# The periods of s95(6) that a request during the interim moratorium leaves running, which the
# list entry shows (s97, SI 2012/2421 reg 2(a)): the deadline names in england-acv.yaml.
FULL_MORATORIUM, PROTECTED_PERIOD = "full_moratorium", "protected_period"


@dataclass(frozen=True)
class BidderRequest:
    """What the group is told: its request is recorded, and until when the owner may not sell."""

    asset: Asset
    group: Organisation
    received_on: date
    full_moratorium_ends: date | None
    protected_period_ends: date | None


def _open_to_other_groups(asset: Asset) -> tuple[Application, Action]:
    """The listing of ``asset`` where a group other than the nominator may ask now, and the
    action it takes; ValidationFailed when no moratorium is running."""
    registry = workflows()
    for application in db.session.scalars(
            select(Application).where(Application.asset_id == asset.id).order_by(Application.id)):
        workflow = registry.get(application.workflow)
        action = workflow and next((a for a in workflow.actions_from(application.state)
                                    if OTHER_GROUP in a.roles), None)
        if action:
            return application, action
    raise ValidationFailed(
        f"{asset.name} is not in a moratorium: a group can ask to be treated as a potential "
        "bidder only after the owner has told the council it wishes to sell",
        [FieldError("asset_id", "No moratorium is running for this asset")])


def ask_to_bid(user, asset: Asset, organisation: Organisation,
               on: date | None = None) -> BidderRequest:
    """Record the written request of ``organisation``, made by its member ``user`` today (or
    ``on``), to be treated as a potential bidder for ``asset``. Flushes, never commits."""
    if user.role != Role.APPLICANT or not organisation.has_member(user):
        raise NotAllowed("Only a member of the group can ask for it to be treated as a bidder")
    application, action = _open_to_other_groups(asset)
    if application.organisation_id == organisation.id:
        raise ValidationFailed(
            "Your group nominated this asset: ask from your nomination's page",
            [FieldError("organisation_id", "This group nominated the asset")])
    received_on = on or uk_today()
    address = "\n".join(filter(None, [organisation.address, organisation.postcode]))
    take_action(user, application, action.name, for_group=organisation, on=received_on,
                data={"group_name": organisation.name, "group_address": address,
                      "received_on": received_on.isoformat()})
    due = {row.name: row.due_on for row in current_deadlines(application)}
    return BidderRequest(asset, organisation, received_on, due.get(FULL_MORATORIUM),
                         due.get(PROTECTED_PERIOD))
