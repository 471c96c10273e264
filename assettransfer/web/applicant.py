"""Pages for community groups making requests: ``/applications``.

Every page here needs a signed-in user; the pages themselves come with the application form.
"""

from flask import Blueprint

from .access import require_login

bp = Blueprint("applicant", __name__, url_prefix="/applications")
bp.before_request(require_login)
