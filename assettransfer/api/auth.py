"""Bearer tokens (RFC 6750): ``Authorization: Bearer TOKEN``, issued by ``accounts.issue_token``."""
from flask import g, request

from ..services import accounts
from .problems import ApiProblem

REALM = 'Bearer realm="assettransfer"'


def _challenge(detail: str, error: str | None) -> ApiProblem:
    header = REALM + (f', error="{error}"' if error else "")
    return ApiProblem(401, detail, headers={"WWW-Authenticate": header})


def api_user(required: bool):
    """The user the request's token belongs to, or None when there is none and none is required.

    :raises ApiProblem: 401 when a token is needed and missing, or when any token given is not live.
    """
    header = request.headers.get("Authorization", "")
    if not header.strip():
        if required:
            raise _challenge("Send an API token: Authorization: Bearer TOKEN", None)
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _challenge("The Authorization header must be: Bearer TOKEN", "invalid_request")
    user = accounts.user_for_token(token)
    if user is None:
        raise _challenge("The API token is not valid, has expired or was revoked", "invalid_token")
    g.api_user_id = user.id  # for the log of refusals (problems.py)
    return user
