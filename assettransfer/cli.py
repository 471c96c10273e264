"""Command-line interface: ``flask --app assettransfer ...``."""
from flask import Flask


def init_app(app: Flask) -> None:
    pass
