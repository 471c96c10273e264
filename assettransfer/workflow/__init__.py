"""The workflow engine: processes declared in ``workflows/*.yaml``, run by ``transitions``."""
from pathlib import Path

from flask import Flask, current_app

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
    )


def workflows() -> WorkflowRegistry:
    return current_app.extensions["workflows"]
