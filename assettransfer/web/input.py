"""Input no page can use is refused before any view sees it.

A NUL character or half of a surrogate pair cannot be stored (PostgreSQL refuses NUL in text) and
means nothing in a search, a form or a file's name; the API refuses the same text with the same
check (``services.errors.bad_text``). Refusing it here, once for every page, answers 400 with a
page saying why, instead of each view meeting it in a query or a commit as a 500.
"""

from flask import Flask, abort, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..services.errors import bad_text


def init_app(app: Flask, blueprints) -> None:
    """Check every request to the pages of ``blueprints`` (and of the blueprints nested in them)."""
    names = {bp.name for bp in blueprints}

    @app.before_request
    def check_page_input():
        if names.intersection(request.blueprints):
            refuse_unstorable_text()


def refuse_unstorable_text() -> None:
    """Abort with 400 if a query parameter, form field or upload's file name is unstorable."""
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        return  # a body over the limit is refused by the view, on its own page
    sent = {
        "query": request.args.to_dict(flat=False),
        "form": form.to_dict(flat=False),
        "files": {name: [f.filename or "" for f in sent] for name, sent in files.lists()},
    }
    if next(bad_text(sent), None) is not None:
        abort(400)

