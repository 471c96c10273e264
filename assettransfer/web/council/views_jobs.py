"""Failed background jobs, for admins: ``/council/jobs``: what failed, why, and a Retry button."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ...models import Role
from ...services import operations
from ..forms.account import ConfirmForm

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.before_request
def require_admin():
    if current_user.role is not Role.ADMIN:
        abort(403)


@bp.get("/")
def failed():
    return render_template("council/jobs.html", jobs=operations.failed_jobs(current_user),
                           button_form=ConfirmForm())


@bp.post("/<int:job_id>/retry")
def retry(job_id: int):
    if ConfirmForm().validate_on_submit():
        job = operations.retry_job(current_user, job_id)
        flash(f"“{job.label}” will be tried again now.", "success")
    return redirect(url_for(".failed"))
