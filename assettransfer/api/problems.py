"""RFC 9457 problem details: every error under ``/api/`` is ``application/problem+json``.

Errors raised inside the API's views reach the blueprint's handlers below. Errors raised before a
view is chosen (an unknown path, a method the path does not allow) reach the web layer's app-wide
handlers, which leave ``/api/`` paths alone; ``_rewrite_error_response`` then makes it a problem.
"""
import json
import logging

from flask import Blueprint, Response, g, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, default_exceptions
from werkzeug.http import HTTP_STATUS_CODES

from ..security_log import security_event
from ..services.errors import DomainError, FieldError, NotAllowed, NotFound
from ..throttle import retry_after

PROBLEM_JSON = "application/problem+json"
# Headers an error response must keep when it is rewritten as a problem.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")
# The HTTP statuses the API itself answers with; each has a handler on the blueprint.
HANDLED_STATUSES = (400, 401, 403, 404, 405, 409, 413, 415, 422, 500)



class ApiProblem(Exception):
    """Raised by the API's own code (authentication, request parsing) to answer with a problem."""

    def __init__(self, status: int, detail: str, errors: list[FieldError] | None = None,
                 headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.errors, self.headers = errors or [], headers or {}


def is_api_path() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def problem(status: int, detail: str = "", errors: list[FieldError] | None = None,
            headers: dict | None = None) -> Response:
    """A problem response; ``type`` is ``about:blank``, so ``title`` is the status's own phrase."""
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail or _default_detail(status),
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _default_detail(status: int) -> str:
    exception = default_exceptions.get(status)
    return exception.description if exception else HTTP_STATUS_CODES.get(status, "Error")


def validation_problem(error: ValidationError, prefix: str = "") -> ApiProblem:
    """A 422 naming each field pydantic refused, as a dotted path from the top of the body."""
    errors = []
    for item in error.errors(include_url=False):
        path = ".".join(str(part) for part in (prefix, *item["loc"]) if part != "")
        errors.append(FieldError(path, item["msg"]))
    return ApiProblem(422, "The request needs correcting", errors)


def _domain_error(error: DomainError) -> Response:
    if isinstance(error, NotAllowed | NotFound):  # an access check said no
        security_event("access_refused", logging.WARNING, status=error.status,
                       user_id=g.get("api_user_id"))
    return problem(error.status, error.message, error.errors)


def _too_many_requests(error: HTTPException) -> Response:
    """Throttled (``throttle.py``): after too many refused tokens, or too many documents checked,
    from the client's address."""
    seconds = retry_after()
    return problem(429, f"Too many requests from your address; try again in {seconds} seconds",
                   headers={"Retry-After": str(seconds)})


def _api_problem(error: ApiProblem) -> Response:
    return problem(error.status, error.detail, error.errors, error.headers)


def _http_error(error: HTTPException) -> Response:
    if error.code == 500:  # Flask has logged the exception already
        return problem(500, "Something went wrong on our side; nothing was changed")
    headers = {name: value for name, value in error.get_headers() if name in KEPT_HEADERS}
    return problem(error.code or 500, error.description or "", headers=headers)


def _rewrite_error_response(response: Response) -> Response:
    """After every request: an error on an ``/api/`` path that is not yet a problem becomes one."""
    if response.status_code < 400 or response.mimetype == PROBLEM_JSON or not is_api_path():
        return response
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    return problem(response.status_code, headers=headers)


def init_problems(bp: Blueprint) -> None:
    bp.register_error_handler(DomainError, _domain_error)
    bp.register_error_handler(ApiProblem, _api_problem)
    # Registered by status code, so they take precedence over the app-wide handlers by status.
    for status in HANDLED_STATUSES:
        bp.register_error_handler(status, _http_error)
    bp.register_error_handler(429, _too_many_requests)
    bp.after_app_request(_rewrite_error_response)
