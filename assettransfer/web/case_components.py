"""What the case macros in ``templates/components/case.html`` ask of Python.

Registered on the app as template globals and filters, so applicant and council pages share them:

* ``case_stages(workflow, application, audience, events=None)`` -> :class:`Stages`
* ``describe_event(event, workflow=None, audience="applicant")`` -> str
* ``event_details(event, workflow=None)`` -> [(label, value in words)] of the action's data
* ``whose_move_text(whose_move, audience="applicant")`` -> str
* ``role_label(role)`` -> str
* filters ``filesize`` (bytes in words) and ``short_hash``
"""

from dataclasses import dataclass

from flask import Flask

from ..services.attachments import human_size

AUDIENCES = ("applicant", "council")

WHOSE_MOVE = {
    "applicant": {
        "applicant": "You: your organisation needs to act",
        "officer": "The council’s asset team",
        "decision_maker": "A council decision maker",
        "legal": "The council’s legal team",
        "nobody": "Nobody needs to act at this stage",
    },
    "council": {
        "applicant": "The applicant",
        "officer": "An officer",
        "decision_maker": "A decision maker",
        "legal": "Legal",
        "nobody": "Nobody: waiting for time to pass",
    },
}

# Trail entries that are not workflow actions, in words.
EVENT_WORDS = {
    "create": "Application started",
    "save_answers": "Answers saved",
    "add_attachment": "Document uploaded",
    "remove_attachment": "Document removed",
    "add_note": "Internal note added",
    "save_assessment": "Assessment saved",
    "record_representation": "Representation recorded",
}


@dataclass(frozen=True)
class Stage:
    name: str
    label: str
    current: bool
    done: bool


@dataclass(frozen=True)
class Stages:
    steps: tuple[Stage, ...]  # the open stages, in the order the workflow file lists them
    outcomes: tuple[Stage, ...]  # the ways it can end

    @property
    def current(self) -> Stage | None:
        return next((s for s in (*self.steps, *self.outcomes) if s.current), None)


def _check_audience(audience: str) -> str:
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
    return audience


def state_label(state, audience: str = "applicant") -> str:
    return state.applicant_label if _check_audience(audience) == "applicant" else state.label


def case_stages(workflow, application, audience: str = "applicant", events=None) -> Stages:
    """Every stage of the workflow, the application's current one marked, and (given its
    events) the stages it has already been through marked done."""
    visited = set()
    for event in events or ():
        visited.update(s for s in (event.from_state, event.to_state) if s)
    steps, outcomes = [], []
    for state in workflow.states.values():
        current = state.name == application.state
        stage = Stage(state.name, state_label(state, audience), current,
                      done=not current and state.name in visited)
        (outcomes if state.final else steps).append(stage)
    return Stages(tuple(steps), tuple(outcomes))


def whose_move_text(whose_move: str, audience: str = "applicant") -> str:
    words = WHOSE_MOVE[_check_audience(audience)]
    return words.get(whose_move, whose_move.replace("_", " ").capitalize())


def role_label(role) -> str:
    text = str(getattr(role, "value", role) or "").replace("_", " ")
    return text[:1].upper() + text[1:]


def describe_event(event, workflow=None, audience: str = "applicant") -> str:
    """What happened, in words: the action's label, or what a non-workflow entry means."""
    action = workflow.actions.get(event.action) if workflow is not None else None
    if action is not None:
        text = action.label
    else:
        text = EVENT_WORDS.get(event.action, role_label(event.action))
    payload = event.payload or {}
    if event.action in ("add_attachment", "remove_attachment") and payload.get("filename"):
        text += f": {payload['filename']}"
    elif event.action == "save_answers" and workflow is not None and payload.get("changed"):
        titles = [s.title for s in workflow.sections if s.name in payload["changed"]]
        if titles:
            text += f": {', '.join(titles)}"
    elif event.action == "record_representation" and payload.get("from_name"):
        if payload.get("source") == "online":
            text = "Representation made online"
        text += f" from {payload['from_name']}"
    return text


def event_details(event, workflow=None) -> list[tuple[str, str]]:
    """The data given with a workflow action (reasons, a message, dates), labelled as in its
    form; passwords are never recorded, so never shown."""
    action = workflow.actions.get(event.action) if workflow is not None else None
    if action is None:
        return []
    payload = event.payload or {}
    rows = [(spec.label, spec.in_words(payload.get(spec.name)))
            for spec in action.fields if not spec.secret]
    return [(label, value) for label, value in rows if value is not None]


def moved_to(event, workflow=None, audience: str = "applicant") -> str | None:
    """The label of the stage an event moved the application to, or None if it stayed."""
    if workflow is None or not event.to_state or event.to_state == event.from_state:
        return None
    state = workflow.states.get(event.to_state)
    return state_label(state, audience) if state else None


def short_hash(value: str | None, length: int = 12) -> str:
    return f"{value[:length]}…" if value and len(value) > length else (value or "")


def init_app(app: Flask) -> None:
    app.add_template_filter(human_size, "filesize")
    app.add_template_filter(short_hash)
    for function in (case_stages, describe_event, event_details, moved_to, whose_move_text,
                     role_label):
        app.add_template_global(function)
