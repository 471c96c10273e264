"""What officers record on a case besides actions: assessments, representations, internal notes.

Each write is recorded in the application's audit trail in the same transaction.
"""
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import (
    MAX_SCORE,
    Application,
    Assessment,
    Deadline,
    Note,
    Representation,
    RepresentationSource,
    Role,
)
from ..wording import long_date
from ..workflow import workflows
from ..workflow.calendar import uk_today
from . import notices
from .accounts import normalise_email
from .audit import record_event
from .errors import FieldError, NotAllowed, ValidationFailed
from .messages import queue_message

# The deadline that closes the period for representations (SSI 2016/357 regs 6-7): the closing
# date on the public notice. A workflow with representation states but no such deadline takes
# none online.
REPRESENTATION_PERIOD = "representations"
REPRESENTATION_CONFIRMATION = "representation_confirmation"

TEXT_LIMIT = 20000


def _require_role(user, roles, doing: str) -> None:
    if user.role not in roles:
        raise NotAllowed(f"Your role cannot {doing}")


def _text(value, field: str, required: bool, errors: list[FieldError], label: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(FieldError(field, f"Enter {label}"))
        return ""
    if not isinstance(value, str):
        errors.append(FieldError(field, f"{label.capitalize()} must be text"))
        return ""
    if len(value) > TEXT_LIMIT:
        errors.append(FieldError(
            field, f"{label.capitalize()} must be {TEXT_LIMIT:,} characters or fewer"))
    return value.strip()


def save_assessment(user, application: Application, scores, comments) -> Assessment:
    """Create or update this officer's own assessment against the workflow's criteria."""
    _require_role(user, (Role.OFFICER,), "assess applications")
    workflow = workflows()[application.workflow]
    if application.state not in workflow.assessment_states:
        raise ValidationFailed("This application is not being assessed", [FieldError(
            "", "Assessments can only be recorded during assessment")])
    scored = any(c.weight for c in workflow.criteria)
    names = {c.name for c in workflow.criteria}
    errors: list[FieldError] = []
    scores, comments = scores or {}, comments or {}
    if not isinstance(scores, dict) or not isinstance(comments, dict):
        raise ValidationFailed("Scores and comments must be objects keyed by criterion",
                               [FieldError("scores", "Must be an object keyed by criterion")])
    errors += [FieldError(f"scores.{n}", f"There is no criterion '{n}'")
               for n in scores if n not in names]
    errors += [FieldError(f"comments.{n}", f"There is no criterion '{n}'")
               for n in comments if n not in names]
    clean_scores, clean_comments = {}, {}
    for criterion in workflow.criteria:
        raw = scores.get(criterion.name)
        if raw is not None and raw != "":
            if not scored:
                errors.append(FieldError(f"scores.{criterion.name}",
                                         "These matters are not scored: "
                                         "record findings as comments"))
            elif isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_SCORE:
                errors.append(FieldError(f"scores.{criterion.name}",
                                         f"Score “{criterion.label}” "
                                         f"with a whole number from 0 to {MAX_SCORE}"))
            else:
                clean_scores[criterion.name] = raw
        comment = _text(comments.get(criterion.name), f"comments.{criterion.name}", False, errors,
                        f"a comment on {criterion.label.lower()}")
        if comment:
            clean_comments[criterion.name] = comment
    if errors:
        raise ValidationFailed("Some scores or comments need correcting", errors)
    assessment = db.session.scalar(select(Assessment).where(
        Assessment.application_id == application.id, Assessment.assessor_id == user.id))
    if assessment is None:
        assessment = Assessment(application_id=application.id, assessor_id=user.id)
        db.session.add(assessment)
    assessment.scores, assessment.comments = clean_scores, clean_comments
    record_event(application, user, "save_assessment",
                 payload={"scores": clean_scores, "comments": clean_comments})
    return assessment


def assessments_of(application: Application) -> list[Assessment]:
    return list(db.session.scalars(
        select(Assessment).where(Assessment.application_id == application.id)
        .order_by(Assessment.id)
    ))


def record_representation(user, application: Application, from_name, received_on,
                          text) -> Representation:
    """A representation received on a request while it is open for them (SSI 2016/357 reg 7)."""
    _require_role(user, (Role.OFFICER,), "record representations")
    workflow = workflows()[application.workflow]
    if application.state not in workflow.representation_states:
        raise ValidationFailed("Representations cannot be recorded at this stage",
                               [FieldError("", "This application is not open for representations")])
    errors: list[FieldError] = []
    from_name = _text(from_name, "from_name", True, errors, "who made the representation")
    text = _text(text, "text", True, errors, "the representation")
    day = None
    if isinstance(received_on, date):
        day = received_on
    else:
        try:
            day = date.fromisoformat(str(received_on))
        except ValueError:
            errors.append(FieldError("received_on",
                                     "Enter the date it was received, like 2027-01-31"))
    if day and day > uk_today():
        errors.append(FieldError("received_on", "The date received cannot be in the future"))
    if len(from_name) > 200:
        errors.append(FieldError("from_name",
                                 "Who made the representation must be 200 characters or fewer"))
    if errors:
        raise ValidationFailed("The representation needs correcting", errors)
    representation = Representation(application_id=application.id, from_name=from_name,
                                     received_on=day, text=text, recorded_by_id=user.id)
    db.session.add(representation)
    event = record_event(application, user, "record_representation",
                         payload={"from_name": from_name, "received_on": day.isoformat()})
    notices.representation_received(application, representation, event)
    return representation


@dataclass(frozen=True)
class PublicActor:
    """Who the audit trail says acted when a member of the public made a representation online:
    nobody with an account; their name is in the representation, for the council only."""

    name: str = "Member of the public (online)"
    id: None = None
    role: str = "public"
    is_council: bool = False


PUBLIC = PublicActor()


def representations_close_on(application: Application, today: date | None = None) -> date | None:
    """The last day representations may be made online, while the request is open for them and
    that day has not passed; else None."""
    workflow = workflows()[application.workflow]
    if application.state not in workflow.representation_states:
        return None
    period = db.session.scalar(
        select(Deadline).where(Deadline.application_id == application.id,
                               Deadline.name == REPRESENTATION_PERIOD,
                               Deadline.superseded_at.is_(None))
        .order_by(Deadline.id.desc()).limit(1))
    if period is None or period.due_on < (today or uk_today()):
        return None
    return period.due_on


def make_representation(application: Application, from_name, address, email,
                        text) -> Representation:
    """A representation anyone makes online on the public register, up to the closing date;
    the person is sent a confirmation and the case officer is told, in the same transaction."""
    closes_on = representations_close_on(application)
    if closes_on is None:
        raise ValidationFailed("Representations are closed", [FieldError(
            "", f"The period for representations on {application.reference} has ended, or is "
                "not open: representations can no longer be made online")])
    errors: list[FieldError] = []
    from_name = _text(from_name, "from_name", True, errors, "your name")
    address = _text(address, "address", True, errors, "your address")
    text = _text(text, "text", True, errors, "your representation")
    if len(from_name) > 200:
        errors.append(FieldError("from_name", "Your name must be 200 characters or fewer"))
    try:
        email = normalise_email(email if isinstance(email, str) else "")
    except ValidationFailed as exc:
        errors += exc.errors
    if errors:
        raise ValidationFailed("The representation needs correcting", errors)
    representation = Representation(
        application_id=application.id, from_name=from_name, address=address, email=email,
        received_on=uk_today(), text=text, source=RepresentationSource.ONLINE)
    db.session.add(representation)
    event = record_event(application, PUBLIC, "record_representation", payload={
        "from_name": from_name, "received_on": representation.received_on.isoformat(),
        "source": RepresentationSource.ONLINE.value})
    notices.representation_received(application, representation, event)
    queue_message(
        REPRESENTATION_CONFIRMATION, key=f"event:{event.id}:public:email:confirmation",
        to_name=from_name, to_address=email, application=application,
        context={"to_name": from_name, "reference": application.reference,
                 "asset_name": application.asset.name, "text": text,
                 "received_on": long_date(representation.received_on),
                 "closes_on": long_date(closes_on),
                 "authority": current_app.config["AUTHORITY_NAME"],
                 "url": notices.service_url("register.entry",
                                            reference=application.reference)})
    return representation


def representations_of(application: Application) -> list[Representation]:
    return list(db.session.scalars(
        select(Representation).where(Representation.application_id == application.id)
        .order_by(Representation.received_on, Representation.id)
    ))


def add_note(user, application: Application, text) -> Note:
    """An internal note, seen only by council roles."""
    if not user.is_council:
        raise NotAllowed("Only council staff can add internal notes")
    errors: list[FieldError] = []
    text = _text(text, "text", True, errors, "the note")
    if errors:
        raise ValidationFailed("The note needs correcting", errors)
    note = Note(application_id=application.id, author_id=user.id, text=text)
    db.session.add(note)
    db.session.flush()
    record_event(application, user, "add_note", payload={"note_id": note.id})
    return note


def notes_of(application: Application) -> list[Note]:
    return list(db.session.scalars(
        select(Note).where(Note.application_id == application.id).order_by(Note.created_at.desc())
    ))
