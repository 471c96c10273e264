"""The web's transaction boundary: every page request is one transaction.

``init_app`` wraps each page's view, so no view commits. The request's work is committed when the
view answers with a success or a redirect; it is rolled back when the view raises (the app-wide
error handlers then show the page for the error) or answers with an error status, such as a form
shown again with the reasons it was refused. Whatever the outcome, the session is removed when
the request ends.
"""

import functools

from flask import Flask, make_response

from ..services.transaction import doom, transaction


def transactional(view):
    @functools.wraps(view)
    def run(**kwargs):
        with transaction():
            response = make_response(view(**kwargs))
            if response.status_code >= 400:
                doom()
        return response

    return run


def init_app(app: Flask, blueprints) -> None:
    """Make every view of ``blueprints`` (and of the blueprints nested in them) transactional."""
    tops = {bp.name for bp in blueprints}
    for endpoint, view in app.view_functions.items():
        if endpoint.partition(".")[0] in tops and "." in endpoint:
            app.view_functions[endpoint] = transactional(view)
