"""The API's blueprint and the registry of its operations (the source of the OpenAPI document)."""
from flask import Blueprint

from .. import throttle
from .problems import init_problems
from .registry import Registry

bp = Blueprint("api", __name__, url_prefix="/api/v1")
registry = Registry(bp)
route = registry.route
init_problems(bp)
throttle.api_tokens(bp)
