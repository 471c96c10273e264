"""Applications: start one, find one a user may see, save answers while the applicant may edit."""
from datetime import UTC, datetime

from ..extensions import db
from ..models import Application, Asset, Organisation, ReferenceSequence, Role
from ..workflow import workflows
from ..workflow.fields import FieldValueError
from .account_links import require_confirmed_email
from .assets import open_to_requests
from .audit import record_event
from .errors import Conflict, FieldError, NotAllowed, NotFound, ValidationFailed
from .records import by_id


def visible_to(user, application: Application | None) -> bool:
    if application is None:
        return False
    return user.is_council or application.organisation.has_member(user)


def get_application(user, application_id: int) -> Application:
    """The application, or NotFound when it does not exist or is another organisation's."""
    application = by_id(Application, application_id)
    if not visible_to(user, application):
        raise NotFound("No such application")
    return application


def next_reference(prefix: str, year: int) -> str:
    sequence = db.session.get(ReferenceSequence, (prefix, year), with_for_update=True)
    if sequence is None:
        sequence = ReferenceSequence(prefix=prefix, year=year, last_value=0)
        db.session.add(sequence)
    sequence.last_value += 1
    return f"{prefix}-{year}-{sequence.last_value:04d}"


def start_application(user, workflow_key: str, asset: Asset,
                      organisation: Organisation) -> Application:
    registry = workflows()
    if workflow_key not in registry.offered:
        raise ValidationFailed("This council does not offer that route",
                               [FieldError("workflow", "Choose a route this council offers")])
    if user.role != Role.APPLICANT:
        raise NotAllowed("Only community groups start applications")
    if not organisation.has_member(user):
        raise NotFound("No such organisation")
    require_confirmed_email(user)
    if not open_to_requests(asset):
        raise ValidationFailed(f"{asset.name} is {asset.status.label.lower()}",
                               [FieldError("asset_id", "This asset is not open to requests")])
    workflow = registry[workflow_key]
    application = Application(
        reference=next_reference(workflow.reference_prefix, datetime.now(UTC).year),
        asset=asset, organisation=organisation, workflow=workflow_key,
        state=workflow.initial_state, answers={}, created_by_id=user.id,
    )
    db.session.add(application)
    db.session.flush()
    record_event(application, user, "create", to_state=application.state)
    return application


def _check_version(application: Application, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != application.version:
        raise Conflict(
            f"{application.reference} was changed by someone else (version {application.version}, "
            f"you had {expected_version}); reload it and try again"
        )


def clean_answers(workflow, answers) -> tuple[dict, list[FieldError]]:
    """Validate ``{section: {field: value}}`` against the workflow's form."""
    cleaned, errors = {}, []
    if not isinstance(answers, dict):
        return {}, [FieldError("answers", "Answers must be an object of sections")]
    for section_name, values in answers.items():
        section = workflow.section(section_name)
        if section is None:
            errors.append(FieldError(section_name, f"There is no section '{section_name}'"))
            continue
        if not isinstance(values, dict):
            errors.append(FieldError(section_name,
                                     "A section's answers must be an object of fields"))
            continue
        fields = {f.name: f for f in section.fields}
        for name, raw in values.items():
            path = f"{section_name}.{name}"
            if name not in fields:
                errors.append(FieldError(path,
                                         f"There is no question '{name}' in '{section.title}'"))
                continue
            try:
                # Saving part of a section is allowed: required questions are checked on submit.
                value = fields[name].clean(raw) if raw not in (None, "") else None
            except FieldValueError as exc:
                errors.append(FieldError(path, str(exc)))
                continue
            cleaned.setdefault(section_name, {})[name] = value
    return cleaned, errors


def save_answers(user, application: Application, answers,
                 expected_version: int | None) -> Application:
    """Merge answers into the application while its state lets the applicant edit."""
    _check_version(application, expected_version)
    if user.role != Role.APPLICANT or not application.organisation.has_member(user):
        raise NotAllowed("Only members of the applying organisation can change its answers")
    require_confirmed_email(user)
    workflow = workflows()[application.workflow]
    state = workflow.states[application.state]
    if not state.editable:
        raise ValidationFailed(f"Answers cannot be changed while the application is "
                               f"“{state.applicant_label.lower()}”")
    cleaned, errors = clean_answers(workflow, answers)
    if errors:
        raise ValidationFailed("Some answers need correcting", errors)
    merged = {section: dict(values) for section, values in (application.answers or {}).items()}
    for section, values in cleaned.items():
        merged.setdefault(section, {}).update(values)
    application.answers = merged
    record_event(application, user, "save_answers", payload={"changed": cleaned})
    return application
