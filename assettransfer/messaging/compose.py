"""A message kind's subject and body, from ``templates/messages/<kind>.txt``.

The template's first line is ``Subject: ...``; the rest, after a blank line, is the body, in
plain English: the reference, the asset, what happened, what to do next and by when. Templates
run with ``StrictUndefined`` (a message that names a fact it was not given fails while the
action can still be refused) and without HTML escaping (messages are plain text).
"""

import re

from flask import Flask
from jinja2 import StrictUndefined, TemplateError

from ..wording import FILTERS
from .errors import MessageError

_NAME = re.compile(r"^[a-z0-9][a-z0-9_]{0,59}$")
_ENV_KEY = "assettransfer.messaging.jinja"
SUBJECT = "Subject:"


def _env(app: Flask):
    env = app.extensions.get(_ENV_KEY)
    if env is None:
        env = app.jinja_env.overlay(undefined=StrictUndefined, autoescape=False)
        env.filters = {**app.jinja_env.filters, **FILTERS}
        env.globals = dict(app.jinja_env.globals)
        app.extensions[_ENV_KEY] = env
    return env


def compose(app: Flask, kind: str, context: dict) -> tuple[str, str]:
    """(subject, body) of message ``kind`` for ``context``; ``MessageError`` if it cannot be
    written."""
    if not _NAME.match(kind):
        raise MessageError(f"invalid message kind {kind!r}")
    try:
        text = _env(app).get_template(f"messages/{kind}.txt").render(context)
    except TemplateError as error:
        raise MessageError(f"messages/{kind}.txt: {error}") from error
    first, _, rest = text.lstrip().partition("\n")
    if not first.startswith(SUBJECT):
        raise MessageError(f"messages/{kind}.txt must begin with '{SUBJECT} ...'")
    return first.removeprefix(SUBJECT).strip(), rest.strip() + "\n"
