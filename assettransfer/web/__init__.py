"""The web pages: one blueprint per audience."""
from flask import Flask


def init_web(app: Flask) -> None:
    pass
