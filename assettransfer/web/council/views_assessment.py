"""Officers' assessments and third-party representations on a case:
``/council/applications/<id>/assessment`` and ``.../representations``."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ...models import Role
from ...services import casework
from ...services.applications import get_application
from ...workflow import workflows
from ...workflow.scoring import summarise
from ..forms import saving
from ..forms.council import (
    RepresentationForm,
    apply_assessment_errors,
    assessment_data,
    assessment_form,
    comment_field,
    score_field,
)

bp = Blueprint("assessment", __name__, url_prefix="/applications/<int:application_id>")


def _case(application_id: int):
    application = get_application(current_user, application_id)
    return application, workflows()[application.workflow]


@bp.route("/assessment", methods=["GET", "POST"])
def assessment(application_id: int):
    """Every council role sees the scores side by side; officers record their own while the
    case is being assessed (the casework service enforces both)."""
    application, workflow = _case(application_id)
    everyone = casework.assessments_of(application)
    own = next((a for a in everyone if a.assessor_id == current_user.id), None)
    may_assess = (current_user.role is Role.OFFICER
                  and application.state in workflow.assessment_states)
    form = assessment_form(workflow, own)
    if form.validate_on_submit():
        scores, comments = assessment_data(form, workflow)
        with saving(form, apply_assessment_errors) as saved:
            casework.save_assessment(current_user, application, scores, comments)
        if saved.ok:
            flash("Your assessment has been saved.", "success")
            return redirect(url_for(".assessment", application_id=application.id))
    summary = summarise(workflow, everyone)
    return render_template(
        "council/assessment.html",
        application=application,
        workflow=workflow,
        form=form,
        may_assess=may_assess,
        own=own,
        summary=summary,
        own_total=summary.officers[everyone.index(own)] if own is not None else None,
        fields=[(c, form[score_field(c)] if form.scored else None, form[comment_field(c)])
                for c in workflow.criteria],
    )


@bp.route("/representations", methods=["GET", "POST"])
def representations(application_id: int):
    application, workflow = _case(application_id)
    may_record = (current_user.role is Role.OFFICER
                  and application.state in workflow.representation_states)
    form = RepresentationForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            casework.record_representation(current_user, application, form.from_name.data,
                                           form.received_on.data, form.text.data)
        if saved.ok:
            flash(f"The representation from {form.from_name.data} has been recorded.", "success")
            return redirect(url_for(".representations", application_id=application.id))
    return render_template(
        "council/representations.html",
        application=application,
        workflow=workflow,
        form=form,
        may_record=may_record,
        representations=casework.representations_of(application),
    )
