"""The application form as GOV.UK pages: the words for each task's status, and the pages a
section's questions are spread over. Which sections are needed now, and how far each has got,
is read from the workflow (``workflow.progress``).
"""

from math import ceil

from ..workflow.definition import Section
from ..workflow.progress import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED

QUESTIONS_PER_PAGE = 4

STATUS_TEXT = {
    COMPLETED: "Completed",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not yet started",
    CANNOT_START: "Cannot start yet",
}


def section_pages(section: Section) -> list[tuple]:
    """The section's questions split into pages of a few questions each (at least one page)."""
    fields = section.fields
    if not fields:
        return [()]
    pages = ceil(len(fields) / QUESTIONS_PER_PAGE)
    size = ceil(len(fields) / pages)
    return [fields[i:i + size] for i in range(0, len(fields), size)]
