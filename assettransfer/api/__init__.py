"""The JSON API, ``/api/v1``: thin views over the services, pydantic schemas, problem+json errors.

The OpenAPI 3.1 description is served at ``/api/v1/openapi.json``, built from the same models that
validate the requests (see ``registry`` and ``openapi``).
"""
from . import (  # noqa: F401
    views_applications,
    views_casework,
    views_openapi,
    views_register,
    views_verify,
)
from .blueprint import bp

__all__ = ["bp"]
