"""Taking a workflow action: role, membership, data, guards, version; then state, event,
deadlines, effects and documents, all in the caller's one transaction."""
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm.exc import StaleDataError

from ..documents.service import issue_documents
from ..extensions import db
from ..models import Application, Organisation, Role
from ..workflow import workflows
from ..workflow.calendar import uk_today
from ..workflow.context import SYSTEM, ActionContext, role_of
from ..workflow.definition import OTHER_GROUP, Action, Workflow
from ..workflow.engine import TransitionRefused, fire
from ..workflow.fields import Field, FieldValueError
from ..workflow.steps import Registry, StepFunctions
from . import deadlines, notices, public
from .account_links import require_confirmed_email
from .audit import record_event
from .effects import EFFECTS
from .errors import Conflict, FieldError, NotAllowed, NotFound, ValidationFailed
from .guards import GUARDS
from .guards_disposal import GUARDS as DISPOSAL_GUARDS
from .guards_scotland import GUARDS as SCOTTISH_GUARDS

# What the workflow files' guards and effects run; given to the registry when the app starts.
STEP_FUNCTIONS = StepFunctions(
    guards=Registry.merged(GUARDS, SCOTTISH_GUARDS, DISPOSAL_GUARDS), effects=EFFECTS)


@dataclass(frozen=True)
class AvailableAction:
    """An action the user may take now, with the reasons it would be refused (if any)."""

    name: str
    label: str
    fields: tuple[Field, ...]
    confirm: str
    description: str
    blocked_by: tuple[str, ...]

    @property
    def possible(self) -> bool:
        return not self.blocked_by


def today() -> date:
    return uk_today()


def _may_act(actor, action: Action, application: Application,
             for_group: Organisation | None = None) -> bool:
    role = role_of(actor)
    if for_group is not None:  # a member acting for a group other than the applicant
        return (OTHER_GROUP in action.roles and role == Role.APPLICANT
                and for_group.id != application.organisation_id and for_group.has_member(actor))
    if role not in action.roles:
        return False
    return role != Role.APPLICANT or application.organisation.has_member(actor)


def _context(actor, application, workflow, action, data, comment="", on: date | None = None):
    now = datetime.now(UTC)
    return ActionContext(application=application, workflow=workflow, action=action, actor=actor,
                         data=data, today=on or uk_today(), now=now, comment=comment)


def available_actions(user, application: Application) -> list[AvailableAction]:
    """What this user may take now, each with the guard failures that block it (shown, not
    hidden)."""
    workflow = workflows()[application.workflow]
    available = []
    for action in workflow.actions_from(application.state):
        if action.system or not _may_act(user, action, application):
            continue
        blocked = STEP_FUNCTIONS.failures(_context(user, application, workflow, action, {}))
        available.append(AvailableAction(action.name, action.label, action.fields, action.confirm,
                                         action.description, tuple(blocked)))
    return available


def clean_data(action: Action, data) -> dict:
    """The action's data as JSON-native values; ValidationFailed names each field at fault."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationFailed("The action's data must be an object",
                               [FieldError("data", "Must be an object")])
    errors = [FieldError(f"data.{name}", f"“{action.label}” takes no field '{name}'")
              for name in data if name not in {f.name for f in action.fields}]
    cleaned = {}
    for field in action.fields:
        try:
            cleaned[field.name] = field.clean(data.get(field.name))
        except FieldValueError as exc:
            errors.append(FieldError(f"data.{field.name}", str(exc)))
    if errors:
        raise ValidationFailed("Some details need correcting", errors)
    return cleaned


def take_action(actor, application: Application, action_name: str, *, data=None, comment: str = "",
                expected_version: int | None = None, on: date | None = None,
                for_group: Organisation | None = None):
    """Take ``action_name`` for ``actor``; return the recorded Event. Flushes, never commits.

    ``for_group``: the actor acts for this organisation, not the applicant, in an action open to
    the role ``other_group`` (``services.interest``)."""
    workflow: Workflow = workflows()[application.workflow]
    if actor is not SYSTEM and role_of(actor) == Role.APPLICANT and for_group is None \
            and not application.organisation.has_member(actor):
        raise NotFound("No such application")
    if actor is not SYSTEM:
        require_confirmed_email(actor)
    action = workflow.actions.get(action_name)
    if action is None:
        raise NotFound(f"{workflow.title} has no action '{action_name}'")
    if expected_version is not None and expected_version != application.version:
        raise Conflict(f"{application.reference} was changed by someone else since you loaded it "
                       f"(version {application.version}, you had {expected_version}); reload it")
    if not _may_act(actor, action, application, for_group):
        raise NotAllowed(f"Your role cannot take the action “{action.label}”")
    cleaned = clean_data(action, data)
    typed = {f.name: f.typed(cleaned[f.name]) for f in action.fields}
    if not isinstance(comment, str) or len(comment) > 20000:
        raise ValidationFailed("The comment must be text of 20,000 characters or fewer",
                               [FieldError("comment",
                                           "Must be text of 20,000 characters or fewer")])
    ctx = _context(actor, application, workflow, action, typed, comment, on)
    try:
        from_state, to_state = fire(ctx)
    except TransitionRefused as refused:
        raise ValidationFailed(f"“{action.label}” cannot be taken yet",
                               [FieldError("", msg) for msg in refused.failures]) from None
    reference = application.reference
    payload = {f.name: cleaned[f.name] for f in action.fields if not f.secret}
    try:
        ctx.event = record_event(application, actor, action.name, from_state=from_state,
                                 to_state=to_state, comment=comment, payload=payload)
        deadlines.apply_action(ctx, ctx.event)
        STEP_FUNCTIONS.apply_effects(ctx)
        orders = issue_documents(application, list(action.documents), ctx.event, typed,
                                 public.copy_policy(application))
        notices.after_action(ctx, orders)
        db.session.flush()
    except StaleDataError:
        raise Conflict(f"{reference} was changed by someone else at the same time; "
                       "reload it and try again") from None
    return ctx.event

