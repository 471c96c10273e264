"""The OpenAPI 3.1 document, built from the registry of operations and their pydantic models."""
from http import HTTPStatus

from pydantic.json_schema import models_json_schema

from .problems import PROBLEM_JSON
from .registry import Operation
from .schemas_out import Problem

REF = "#/components/schemas/{model}"
SCHEME = "bearer"
DESCRIPTION = """\
Community asset transfer bids, from first enquiry to signed legal pack, as state-machine workflows.

Authenticate with `Authorization: Bearer TOKEN` (tokens are issued from your account page). Every
error is an RFC 9457 problem (`application/problem+json`); validation and guard failures list each
field at fault in `errors`. Writes to an application carry the `version` you last read: a stale one
is refused with 409, so reload and try again. Tokens expire (the account page shows when); after
too many requests with a token that was refused, requests from the same address are answered 429
until the time in `Retry-After` (seconds) has passed.
"""


def _ref(model) -> dict:
    return {"$ref": REF.format(model=model.__name__)}


def error_statuses(operation: Operation) -> list[int]:
    """The error statuses this operation can answer with."""
    statuses = set(operation.errors) | {401, 429}
    if operation.body is not None:
        statuses |= {400, 413, 415, 422}
    if operation.query is not None:
        statuses.add(422)
    if operation.path_params():
        statuses.add(404)
    return sorted(statuses)


def _success(operation: Operation) -> dict:
    status = str(operation.status)
    if isinstance(operation.response, str):
        etag = {"ETag": {"description": "The file's SHA-256, quoted", "schema": {"type": "string"}}}
        return {
            status: {"description": "The file", "headers": etag, "content": {
                operation.response: {"schema": {"type": "string",
                                                "contentMediaType": operation.response}}}},
            "304": {"description": "Not modified: `If-None-Match` named this file's ETag",
                    "headers": etag},
        }
    response = {"description": HTTPStatus(operation.status).phrase,
                "content": {"application/json": {"schema": _ref(operation.response)}}}
    if operation.status == 201:
        response["headers"] = {"Location": {"description": "Where the new resource is",
                                            "schema": {"type": "string"}}}
    return {status: response}


def _errors(operation: Operation) -> dict:
    responses = {}
    for status in error_statuses(operation):
        response = {"description": HTTPStatus(status).phrase,
                    "content": {PROBLEM_JSON: {"schema": _ref(Problem)}}}
        if status == 401:
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        if status == 429:
            response["headers"] = {"Retry-After": {"description": "Seconds to wait",
                                                   "schema": {"type": "integer"}}}
        responses[str(status)] = response
    return responses


def _without_null(prop: dict) -> dict:
    """A query parameter is absent rather than null: keep only its other alternative."""
    branches = [b for b in prop.get("anyOf", ()) if b != {"type": "null"}]
    if len(branches) != 1 or len(branches) == len(prop.get("anyOf", ())):
        return prop
    rest = {k: v for k, v in prop.items() if k not in ("anyOf", "default")}
    return rest | branches[0]


def _parameters(operation: Operation) -> list[dict]:
    params = [{"name": name, "in": "path", "required": True, "schema": schema}
              for name, schema in operation.path_params()]
    if operation.query is not None:
        schema = operation.query.model_json_schema(ref_template=REF)
        required = set(schema.get("required", ()))
        for name, prop in schema["properties"].items():
            prop = _without_null(prop)
            param = {"name": name, "in": "query", "required": name in required, "schema": prop}
            if "description" in prop:
                param["description"] = prop["description"]
            params.append(param)
    return params


def _operation(operation: Operation) -> dict:
    doc = {
        "operationId": operation.endpoint,
        "summary": operation.summary,
        "tags": [operation.tag],
        "security": [{SCHEME: []}] if operation.auth == "required" else [{}, {SCHEME: []}],
        "responses": _success(operation) | _errors(operation),
    }
    if operation.description:
        doc["description"] = operation.description
    parameters = _parameters(operation)
    if parameters:
        doc["parameters"] = parameters
    if operation.body is not None:
        doc["requestBody"] = {"required": True,
                              "content": {operation.body_media: {"schema": _ref(operation.body)}}}
    return doc


def _components(operations: list[Operation]) -> dict:
    models = [(Problem, "serialization")]
    for operation in operations:
        if operation.body is not None:
            models.append((operation.body, "validation"))
        if operation.response is not None and not isinstance(operation.response, str):
            models.append((operation.response, "serialization"))
    _, definitions = models_json_schema(list(dict.fromkeys(models)), ref_template=REF)
    return definitions.get("$defs", {})


def build_document(operations: list[Operation], server_url: str) -> dict:
    """The document for ``operations`` (in declaration order) served under ``server_url``."""
    paths: dict[str, dict] = {}
    for operation in operations:
        path = paths.setdefault(operation.openapi_path, {})
        path[operation.method.lower()] = _operation(operation)
    return {
        "openapi": "3.1.0",
        "info": {"title": "assettransfer API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": _components(operations),
            "securitySchemes": {SCHEME: {"type": "http", "scheme": "bearer",
                                         "description": "An API token from your account page"}},
        },
    }
