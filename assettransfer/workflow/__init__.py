"""The workflow engine: processes declared in ``workflows/*.yaml``, run by ``transitions``."""
from flask import Flask


def init_workflows(app: Flask) -> None:
    pass
