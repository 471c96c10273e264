"""``GET /api/v1/openapi.json``: the API's own description, public."""
from flask import Response, current_app, json, request

from .blueprint import bp, registry
from .openapi import build_document


@bp.get("/openapi.json")
def openapi():
    document = current_app.extensions.get("api_openapi")
    if document is None:  # built once per app: the operations never change while it runs
        document = current_app.extensions["api_openapi"] = build_document(registry.operations, "")
    server = request.script_root + bp.url_prefix
    body = json.dumps(document | {"servers": [{"url": server}]}, sort_keys=False)
    return Response(body, mimetype="application/json")
