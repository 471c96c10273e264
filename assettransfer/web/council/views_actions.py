"""Taking a workflow action on a case: ``/council/applications/<id>/actions/<action>``.

The page is built from the action's YAML: its data fields, its confirmation text, and the guard
failures that block it now (``AvailableAction.blocked_by``). The workflow engine decides.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ...services.applications import get_application
from ...services.cases import case_for
from ...services.errors import NotFound
from ...workflow.definition import PACK_FINGERPRINT
from ..actions import take_from_form
from ..forms.workflow import action_form, initial_values
from .views_case import decision_papers

bp = Blueprint("actions", __name__, url_prefix="/applications/<int:application_id>/actions")


def _action(workflow, name: str):
    """The workflow's action, if the user's role takes it (404 when it is no such action)."""
    action = workflow.actions.get(name)
    if action is None or action.system:
        raise NotFound(f"No such action '{name}'")
    if current_user.role.value not in action.roles:
        abort(403)
    return action


def _initial(action, application, pack) -> dict:
    """A change of terms starts from the terms as they stand; a signature from the current pack."""
    initial = initial_values(action.fields, action.terms_carried_over(application.terms))
    if pack is not None and action.signs_pack:
        initial[PACK_FINGERPRINT] = pack.sha256
    return initial


@bp.route("/<action_name>", methods=["GET", "POST"])
def take(application_id: int, action_name: str):
    application = get_application(current_user, application_id)
    case = case_for(current_user, application)
    action = _action(case.workflow, action_name)
    available = case.action(action.name)
    form = action_form(action, application, initial=_initial(action, application, case.pack))
    status = 200
    if form.validate_on_submit():
        taken = take_from_form(form, application, action.name, action.fields)
        if taken.ok:
            flash(f"Done: {action.label}.", "success")
            return redirect(url_for("council.case.show", application_id=application.id))
        status = taken.status
        # Whatever was refused, the page now shows the case as it is.
        case = case_for(current_user, application)
        available = case.action(action.name)
    elif not form.is_submitted() and available is None:
        flash(f"“{action.label}” cannot be taken at this stage.", "error")
        return redirect(url_for("council.case.show", application_id=application.id))
    return render_template(
        "council/action.html",
        application=application,
        workflow=case.workflow,
        action=action,
        available=available,
        form=form,
        papers=decision_papers(case.recommendation) if action.decides else None,
        pack=case.pack,
        signatures=case.signatures,
    ), status
