"""What guards and effects see when an action is taken."""
from dataclasses import dataclass, field
from datetime import date, datetime

from ..models import Application, Event
from .definition import Action, Workflow


@dataclass(frozen=True)
class SystemActor:
    """The actor of actions the deadline sweep takes; it has no user row."""

    name: str = "System (deadline sweep)"
    id: None = None
    role: str = "system"
    is_council: bool = True


SYSTEM = SystemActor()


def role_of(actor) -> str:
    return getattr(actor.role, "value", actor.role)


@dataclass
class ActionContext:
    application: Application
    workflow: Workflow
    action: Action
    actor: object  # a User, or SYSTEM
    data: dict  # typed values of the action's fields
    today: date
    now: datetime
    comment: str = ""
    failures: list[str] = field(default_factory=list)
    event: Event | None = None
