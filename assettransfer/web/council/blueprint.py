"""The ``council`` blueprint, ``/council``: every page under it is for council staff only."""
from flask import Blueprint

from ..access import require_council

bp = Blueprint("council", __name__, url_prefix="/council")
bp.before_request(require_council)
