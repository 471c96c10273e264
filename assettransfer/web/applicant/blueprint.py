"""The ``applicant`` blueprint, ``/applications``: a community group's own applications."""
from flask import Blueprint

from ..access import require_applicant

bp = Blueprint("applicant", __name__, url_prefix="/applications")
bp.before_request(require_applicant)
