"""Pages for council staff (officers, decision makers, legal, admins): ``/council``."""

from flask import Blueprint, render_template

from .access import require_council

bp = Blueprint("council", __name__, url_prefix="/council")
bp.before_request(require_council)


@bp.get("/")
def dashboard():
    return render_template("council/dashboard.html")
