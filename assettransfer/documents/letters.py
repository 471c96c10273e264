"""Write one document kind of a workflow: Jinja template -> HTML (then ``pdf.render_pdf``).

Templates are ``templates/documents/<workflow>/<kind>.html`` and extend ``letter.html``. They run
in an overlay of the app's Jinja environment (same loader, same HTML autoescaping) with
``StrictUndefined``: a letter that names a fact the context lacks fails loudly instead of printing
a blank where the law expects a date or a reason.
"""

import re
from dataclasses import dataclass
from datetime import date

from flask import Flask
from jinja2 import StrictUndefined, TemplateError, pass_context

from ..wording import FILTERS, as_date, as_list
from .errors import MissingData, RenderError

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
_ENV_KEY = "assettransfer.documents.jinja"


@dataclass(frozen=True)
class Replacement:
    """What a re-issued letter says of the version it replaces."""

    version: int
    issued_on: date
    reason: str | None  # the action that issued the new version, as the workflow labels it


@dataclass(frozen=True)
class DocumentInfo:
    kind: str
    title: str
    version: int
    issued_on: date
    public_copy: bool = False  # the published copy, personal data left out (public_copy.py)
    replaces: Replacement | None = None  # None: the first version


@dataclass(frozen=True)
class KeyDate:
    label: str
    due_on: date
    rule: str


@pass_context
def due(context, name: str, data_key: str | None = None) -> date | None:
    """The due date of deadline ``name``, else the date the action's data gives."""
    view = context["deadlines"].get(name)
    if view is not None:
        return view.due_on
    return as_date(context["data"].get(data_key or name))


@pass_context
def key_dates(context, names=(), extra=()) -> list[KeyDate]:
    """The rows of a letter's deadlines table, soonest first.

    Every deadline the issuing event started, the deadlines the template names, and ``extra``
    dates given as ``{"label", "due_on", "rule"}`` (from the action's data) unless a deadline row
    already shows that date.
    """
    rows = [
        KeyDate(view.label, view.due_on, view.rule)
        for view in context["deadlines"].values()
        if view.created_by_event or view.name in names
    ]
    for item in extra:
        when = as_date(item.get("due_on"))
        if when is not None and all(row.due_on != when for row in rows):
            rows.append(KeyDate(item["label"], when, item.get("rule", "")))
    return sorted(rows, key=lambda row: row.due_on)


def jinja_env(app: Flask):
    env = app.extensions.get(_ENV_KEY)
    if env is None:
        env = app.jinja_env.overlay(undefined=StrictUndefined)
        # An overlay shares its parent's filter and global dicts: copy them before adding ours.
        env.filters = {**app.jinja_env.filters, **FILTERS}
        env.globals = {**app.jinja_env.globals, "due": due, "key_dates": key_dates}
        app.extensions[_ENV_KEY] = env
    return env


def template_name(workflow_key: str, kind: str) -> str:
    if not _NAME.match(workflow_key) or not _NAME.match(kind):
        raise RenderError(f"invalid document name {workflow_key!r}/{kind!r}")
    return f"documents/{workflow_key}/{kind}.html"


def _needs(*keys):
    return lambda data, outcome: [k for k in keys if not as_list(data.get(k))]


def _needs_one_of(*keys):
    return lambda data, outcome: [] if any(data.get(k) for k in keys) else [" or ".join(keys)]


def _by_outcome(agreed: tuple, refused: tuple):
    def check(data, outcome):
        if outcome is None:
            return ["decision (agreed or refused)"]
        return _needs(*(agreed if outcome == "agreed" else refused))(data, outcome)

    return check


# Facts the law (domain.md) requires a notice to state and that only the action's data can give.
REQUIRED = {
    ("scotland-atr", "missing_information_notice"): _needs("missing_items"),
    ("scotland-atr", "validation_notice"): _needs("validation_date"),
    ("scotland-atr", "decision_notice"): _by_outcome(("offer_deadline",), ("reasons",)),
    ("scotland-atr", "review_decision_notice"): _by_outcome(("reasons", "review_outcome"),
                                                            ("reasons", "review_outcome")),
    ("scotland-atr", "repeat_request_notice"): _needs("earlier_request", "earlier_made_on"),
    ("scotland-atr", "no_contract_response"): _needs("response", "terms"),
    ("england-acv", "listing_notice"): _needs("reasons"),
    ("england-acv", "listing_notice_owner"): _needs("reasons"),
    ("england-acv", "listing_notice_occupier"): _needs("reasons"),
    ("england-acv", "removal_notice"): _needs_one_of("reasons", "expired_on"),
    ("england-acv", "removal_notice_owner"): _needs_one_of("reasons", "expired_on"),
    ("england-acv", "removal_notice_occupier"): _needs_one_of("reasons", "expired_on"),
    ("england-acv", "compensation_decision"): _by_outcome(("reasons",), ("reasons",)),
    ("england-acv", "compensation_review_decision"): _by_outcome(("reasons",), ("reasons",)),
    ("england-acv", "refusal_notice"): _needs("reasons"),
    ("england-acv", "review_decision"): _by_outcome(("reasons",), ("reasons",)),
    ("council-cat", "eoi_outcome"): _by_outcome((), ("reasons",)),
    ("council-cat", "information_request"): _needs("missing_items"),
    ("council-cat", "decision_notice"): _by_outcome(("transfer_type",), ("reasons",)),
}


def check_data(workflow_key: str, kind: str, context: dict) -> None:
    check = REQUIRED.get((workflow_key, kind))
    missing = check(context["data"], context["outcome"]) if check else []
    if missing:
        raise MissingData(f"{workflow_key}/{kind} needs data: {', '.join(missing)}")


def render_html(app: Flask, template: str, context: dict) -> str:
    try:
        return jinja_env(app).get_template(template).render(context)
    except TemplateError as error:
        raise RenderError(f"{template}: {error}") from error


def letter_html(app: Flask, workflow_key: str, document: DocumentInfo, context: dict) -> str:
    """The HTML of ``document.kind`` for this context, which fixes everything the PDF will say;
    raise ``MissingData`` or ``RenderError``."""
    check_data(workflow_key, document.kind, context)
    return render_html(
        app, template_name(workflow_key, document.kind), {**context, "document": document}
    )
