"""The case as one user sees it: an application with what its pages and the API show of it.

Built here once for the group's application page, the council's case pages and the API. Each part
is read when first asked for, so a caller pays only for what it shows. What the user may not see
is left out: applicants get neither the council's notes nor the recommendation, and their trail
leaves out internal entries and data (``reads.events_for``).
"""
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import select

from ..documents.records import replacements
from ..documents.service import current_legal_pack
from ..extensions import db
from ..models import (
    Application,
    Attachment,
    Deadline,
    Document,
    Event,
    Job,
    Note,
    Signature,
    User,
)
from ..workflow import workflows
from ..workflow.calendar import uk_today
from ..workflow.definition import Action, State, Workflow
from ..workflow.progress import Task, task_list
from .actions import AvailableAction, available_actions
from .attachments import attachments_of
from .casework import notes_of
from .deadlines import current_deadlines
from .operations import documents_being_prepared
from .reads import documents_of, events_for


@dataclass(frozen=True)
class Recommendation:
    """The officers' latest recommendation, which a decision maker reads first."""

    action: Action  # its fields name what the payload holds
    by: str
    at: datetime
    payload: dict
    report: Document | None  # the current version of the document the recommendation issued


def stage_label(user: User, state: State) -> str:
    """The stage in the words of the user's side: the staff label, or the applicant's."""
    return state.label if user.is_council else state.applicant_label


@dataclass(frozen=True, eq=False)
class Case:
    user: User
    application: Application
    workflow: Workflow

    @property
    def state(self) -> State:
        return self.workflow.states[self.application.state]

    @property
    def state_label(self) -> str:
        return stage_label(self.user, self.state)

    @cached_property
    def today(self) -> date:
        return uk_today()

    @cached_property
    def actions(self) -> list[AvailableAction]:
        """What the user may take now, each with the guard failures that block it."""
        return available_actions(self.user, self.application)

    def action(self, name: str) -> AvailableAction | None:
        return next((a for a in self.actions if a.name == name), None)

    @cached_property
    def deadlines(self) -> list[Deadline]:
        return current_deadlines(self.application)

    @cached_property
    def events(self) -> list[Event]:
        return events_for(self.user, self.application)

    @cached_property
    def documents(self) -> list[Document]:
        """Every version of every document issued, in issue order."""
        return documents_of(self.application)

    @cached_property
    def replaced_by(self) -> dict[int, Document]:
        """id of each superseded document -> the version that replaced it."""
        return replacements(self.documents)

    @cached_property
    def preparing(self) -> list[Job]:
        """Documents ordered and not yet rendered (council staff also see those that failed)."""
        return documents_being_prepared(self.user, self.application)

    @cached_property
    def attachments(self) -> list[Attachment]:
        return attachments_of(self.application)

    @cached_property
    def tasks(self) -> list[Task] | None:
        """The form's sections and how far each has got, while the form can be changed."""
        if not self.state.editable:
            return None
        uploaded = {a.kind.value for a in self.attachments}
        return task_list(self.workflow, self.application, uploaded)

    @cached_property
    def pack(self) -> Document | None:
        """The legal pack the parties sign now, if one has been issued."""
        return current_legal_pack(self.application)

    @cached_property
    def signatures(self) -> list[Signature]:
        """Who has signed the current legal pack, in the order they signed."""
        if self.pack is None:
            return []
        return list(db.session.scalars(
            select(Signature).where(Signature.document_id == self.pack.id)
            .order_by(Signature.signed_at, Signature.id)))

    @cached_property
    def notes(self) -> list[Note]:
        """The council's internal notes, newest first; none for the group."""
        return notes_of(self.application) if self.user.is_council else []

    @cached_property
    def recommendation(self) -> Recommendation | None:
        """The latest recommendation on the trail, for council staff only."""
        action = self.workflow.recommendation
        if action is None or not self.user.is_council:
            return None
        event = next((e for e in reversed(self.events) if e.action == action.name), None)
        if event is None:
            return None
        report = next((d for d in reversed(self.documents)
                       if d.is_current and d.kind in action.documents), None)
        return Recommendation(action, event.actor_name, event.at, event.payload, report)


def case_for(user: User, application: Application) -> Case:
    """``application`` as ``user`` sees it, for an application ``get_application`` gave them."""
    return Case(user, application, workflows()[application.workflow])
