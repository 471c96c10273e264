"""The workflow engine: processes declared in ``workflows/*.yaml``, run by ``transitions``."""
from pathlib import Path

from flask import Flask, current_app

from .calendar import SUBDIVISIONS, WorkingCalendar, configured_days
from .registry import WorkflowRegistry
from .steps import StepFunctions


def init_workflows(app: Flask, steps: StepFunctions) -> None:
    """Load and validate every workflow; an invalid file stops the app with its problems named."""
    app.extensions["workflows"] = WorkflowRegistry.load(
        Path(app.config["WORKFLOWS_DIR"]),
        offered=list(app.config["WORKFLOWS"]),
        nation=app.config["AUTHORITY_NATION"],
        local_holidays=app.config["LOCAL_HOLIDAYS"],
        templates_dir=Path(app.template_folder),
        steps=steps,
        not_observed=app.config["HOLIDAYS_NOT_OBSERVED"],
    )


def workflows() -> WorkflowRegistry:
    return current_app.extensions["workflows"]


def authority_calendar(nation: str | None = None) -> WorkingCalendar:
    """The working calendar the authority's deadlines use: ``nation``'s bank holidays (by default
    the authority's own nation), with its local holidays and the ones it does not observe."""
    config = current_app.config
    nation = nation or config["AUTHORITY_NATION"]
    if nation not in SUBDIVISIONS:
        raise ValueError(f"unknown nation {nation!r}: one of {', '.join(SUBDIVISIONS)}")
    return WorkingCalendar(nation, configured_days(config["LOCAL_HOLIDAYS"], "LOCAL_HOLIDAYS"),
                           configured_days(config["HOLIDAYS_NOT_OBSERVED"],
                                           "HOLIDAYS_NOT_OBSERVED"))
