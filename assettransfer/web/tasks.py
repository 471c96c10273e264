"""The application form as a task list: which sections the applicant must answer now, how far
each one has got, and the pages a section's questions are spread over.

Everything is read from the workflow definition: the applicant's way out of an editable stage is
the action guarded by ``sections_complete``, and that guard names the sections it needs (all of
them when it names none); ``attachments_present`` names the files it needs.
"""

from dataclasses import dataclass
from math import ceil

from ..workflow.definition import Action, Section, Workflow

QUESTIONS_PER_PAGE = 4

COMPLETED = "completed"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
CANNOT_START = "cannot_start"
STATUS_TEXT = {
    COMPLETED: "Completed",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not yet started",
    CANNOT_START: "Cannot start yet",
}


@dataclass(frozen=True)
class Task:
    section: Section
    status: str
    needed_now: bool
    uploads: bool  # answered by uploading files, not by questions

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]


def _guard_params(action: Action, name: str):
    return next((step.params for step in action.guards if step.name == name), False)


def submission_action(workflow: Workflow, state: str) -> Action | None:
    """The applicant's action that sends the form on from ``state``, if it has one."""
    for action in workflow.actions_from(state):
        checks_sections = _guard_params(action, "sections_complete") is not False
        if "applicant" in action.roles and action.dest and checks_sections:
            return action
    return None


def needed_sections(workflow: Workflow, action: Action | None) -> tuple[Section, ...]:
    """The sections ``action`` needs complete, in form order (all of them if it names none)."""
    names = _guard_params(action, "sections_complete") if action else None
    if not names:
        return workflow.sections
    return tuple(s for s in workflow.sections if s.name in names)


def needed_attachments(action: Action | None) -> tuple[str, ...]:
    kinds = _guard_params(action, "attachments_present") if action else None
    return tuple(kinds or ())


def section_status(section: Section, answers: dict | None, uploaded_kinds: set[str]) -> str:
    if not section.fields:
        if not section.attachments:
            return COMPLETED
        have = [k for k in section.attachments if k in uploaded_kinds]
        return COMPLETED if len(have) == len(section.attachments) else \
            IN_PROGRESS if have else NOT_STARTED
    stored = (answers or {}).get(section.name) or {}
    given = {k: v for k, v in stored.items() if v not in (None, "")}
    if not given:
        return NOT_STARTED
    missing = [f for f in section.fields if f.required and f.name not in given]
    return IN_PROGRESS if missing else COMPLETED


def task_list(workflow: Workflow, application, uploaded_kinds: set[str]) -> list[Task]:
    """The sections needed now first, each with its status; then the ones for a later stage."""
    needed = needed_sections(workflow, submission_action(workflow, application.state))
    later = [s for s in workflow.sections if s not in needed]
    tasks = [Task(s, section_status(s, application.answers, uploaded_kinds), True,
                  uploads=not s.fields) for s in needed]
    tasks += [Task(s, CANNOT_START, False, uploads=not s.fields) for s in later]
    return tasks


def section_pages(section: Section) -> list[tuple]:
    """The section's questions split into pages of a few questions each (at least one page)."""
    fields = section.fields
    if not fields:
        return [()]
    pages = ceil(len(fields) / QUESTIONS_PER_PAGE)
    size = ceil(len(fields) / pages)
    return [fields[i:i + size] for i in range(0, len(fields), size)]
