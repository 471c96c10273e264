"""Pages anyone can see: the start page and the accessibility statement."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("public", __name__)


@bp.get("/")
def start():
    return render_template("public/start.html", offered=current_app.config["WORKFLOWS"])


@bp.get("/accessibility")
def accessibility():
    return render_template("public/accessibility.html")
