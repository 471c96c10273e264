"""The workflow engine: processes declared in ``workflows/*.yaml``, run by ``transitions``."""
from pathlib import Path

from flask import Flask, current_app

from .registry import WorkflowRegistry


def init_workflows(app: Flask) -> None:
    """Load and validate every workflow; an invalid file stops the app with its problems named."""
    app.extensions["workflows"] = WorkflowRegistry.load(
        Path(app.config["WORKFLOWS_DIR"]),
        offered=list(app.config["WORKFLOWS"]),
        nation=app.config["AUTHORITY_NATION"],
        local_holidays=app.config["LOCAL_HOLIDAYS"],
        templates_dir=Path(app.template_folder),
    )


def workflows() -> WorkflowRegistry:
    return current_app.extensions["workflows"]
