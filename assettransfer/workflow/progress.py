"""How far an application's form has got: the sections the applicant must answer now, each with
its status, and the ones for a later stage.

The sections needed now are those the action that sends the form on from the current stage
checks (``Workflow.sections_needed_by``).
"""

from dataclasses import dataclass

from .definition import Section, Workflow

COMPLETED = "completed"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
CANNOT_START = "cannot_start"


@dataclass(frozen=True)
class Task:
    section: Section
    status: str
    needed_now: bool
    uploads: bool  # answered by uploading files, not by questions


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
    needed = workflow.sections_needed_by(workflow.submission_action(application.state))
    later = [s for s in workflow.sections if s not in needed]
    tasks = [Task(s, section_status(s, application.answers, uploaded_kinds), True,
                  uploads=not s.fields) for s in needed]
    tasks += [Task(s, CANNOT_START, False, uploads=not s.fields) for s in later]
    return tasks
