"""One decorator per API operation: it routes the view, authenticates, parses and validates the
request with pydantic, serialises the result, and records the operation for the OpenAPI document.
"""
import functools
import inspect
import json
import re
from dataclasses import dataclass, field

from flask import Blueprint, Response, request
from pydantic import BaseModel, ValidationError

from ..services.errors import bad_text
from ..services.transaction import transaction
from .auth import api_user
from .problems import ApiProblem, validation_problem

# Ids in paths: the handler answers 404 for any outside 1..MAX_ID, the range of every database's
# integer column. (Bounds on the converter itself can make werkzeug answer 405 instead.)
ID = "int"
MAX_ID = 2_147_483_647
_PATH_PARAM = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str
    endpoint: str
    summary: str
    description: str
    tag: str
    auth: str  # "required", or "optional" (public; a token sent must still be live)
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    body_media: str | None  # "application/json" or "multipart/form-data"
    status: int
    response: type[BaseModel] | str | None  # a model, or the media type of a file
    errors: tuple[int, ...]
    path_schemas: dict = field(default_factory=dict)  # name -> JSON schema of a string parameter

    def path_params(self) -> list[tuple[str, dict]]:
        """(name, JSON schema) of each variable in the rule, in order."""
        params = []
        for match in _PATH_PARAM.finditer(self.rule):
            name, converter = match["name"], match["converter"] or "default"
            if converter == "int":
                schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            else:
                schema = self.path_schemas.get(name, {"type": "string", "minLength": 1})
            params.append((name, schema))
        return params

    @property
    def openapi_path(self) -> str:
        return _PATH_PARAM.sub(lambda m: "{" + m["name"] + "}", self.rule)


class Registry:
    """The operations of one blueprint, in the order they were declared."""

    def __init__(self, bp: Blueprint):
        self.bp = bp
        self.operations: list[Operation] = []

    def route(self, rule: str, method: str = "GET", *, summary: str, tag: str,
              auth: str = "required", query=None, body=None, multipart: bool = False,
              status: int = 200, response=None, errors: tuple[int, ...] = (),
              path_schemas: dict | None = None):
        def decorator(view):
            operation = Operation(
                method=method, rule=rule, endpoint=view.__name__, summary=summary,
                description=inspect.cleandoc(view.__doc__ or ""), tag=tag, auth=auth, query=query,
                body=body,
                body_media=None if body is None else
                ("multipart/form-data" if multipart else "application/json"),
                status=status, response=response, errors=tuple(errors),
                path_schemas=path_schemas or {},
            )

            @functools.wraps(view)
            def handler(**path):
                # One transaction per call: a write and its audit event, or a read and the
                # token's last use, are committed together; any error rolls them back.
                with transaction():
                    kwargs = dict(path, user=api_user(required=operation.auth == "required"))
                    if any(isinstance(v, int) and not 1 <= v <= MAX_ID for v in path.values()):
                        raise ApiProblem(404, "There is nothing with that id")
                    if operation.query is not None:
                        kwargs["query"] = parse_query(operation.query)
                    if operation.body is not None:
                        parse = parse_multipart if multipart else parse_json
                        kwargs["body"] = parse(operation.body)
                    response = _respond(view(**kwargs), operation.status)
                return response

            self.bp.add_url_rule(rule, endpoint=view.__name__, view_func=handler, methods=[method])
            self.operations.append(operation)
            return handler

        return decorator


def _respond(result, status: int) -> Response:
    if isinstance(result, Response):
        return result
    headers = {}
    if isinstance(result, tuple):
        result, headers = result
    return Response(result.model_dump_json(by_alias=True), status=status, headers=headers,
                    mimetype="application/json")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def parse_json(model: type[BaseModel]) -> BaseModel:
    """The body as ``model``: 415 unless JSON, 400 unless well-formed, 422 naming each bad field."""
    mimetype = request.mimetype
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiProblem(415, "Send the body as JSON, with Content-Type: application/json")
    try:
        text = request.get_data(cache=True).decode("utf-8")
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise ApiProblem(400, "The body is not well-formed UTF-8 JSON") from None
    errors = list(bad_text(data))
    if errors:
        raise ApiProblem(422, "The request needs correcting", errors)
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise ApiProblem(400, "The body is not well-formed JSON") from None
        raise validation_problem(exc) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    """The query string as ``model``; empty values count as absent, unknown names are ignored."""
    data = {name: value for name, value in request.args.items() if value != ""}
    errors = list(bad_text(data))
    if errors:
        raise ApiProblem(422, "The query needs correcting", errors)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(exc) from None


def parse_multipart(model: type[BaseModel]) -> BaseModel:
    """A ``multipart/form-data`` body: its fields, and each file's bytes (``file``) and name
    (``filename``)."""
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(415, "Send the file as multipart/form-data")
    data: dict = {name: value for name, value in request.form.items()}
    for name, storage in request.files.items():
        data[name] = storage.read()
        data[f"{name}name"] = storage.filename or ""
    errors = list(bad_text({k: v for k, v in data.items() if isinstance(v, str)}))
    if errors:
        raise ApiProblem(422, "The request needs correcting", errors)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(exc) from None
