"""Taking a workflow action on a case: ``/council/applications/<id>/actions/<action>``.

The page is built from the action's YAML: its data fields, its confirmation text, and the guard
failures that block it now (``AvailableAction.blocked_by``). The workflow engine decides.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ...services import reads
from ...services.actions import available_actions
from ...services.applications import get_application
from ...services.errors import NotFound
from ...workflow import workflows
from ..forms.workflow import (
    action_form,
    initial_values,
    take_from_form,
)
from .views_case import decision_papers, signatures_on

bp = Blueprint("actions", __name__, url_prefix="/applications/<int:application_id>/actions")

DECIDES = "decision_maker"  # actions this role takes are shown with the officers' papers
PACK_FIELD = "pack_sha256"  # an action that signs the pack shows it and fills in its fingerprint
TERMS_EFFECT = "record_terms"
NOT_CARRIED_OVER = frozenset({"reasons"})  # each change of terms gives its own reasons


def _action(workflow, application, name: str):
    """The workflow's action, and what the user may do with it now (None: not available)."""
    action = workflow.actions.get(name)
    if action is None or action.system:
        raise NotFound(f"No such action '{name}'")
    if current_user.role.value not in action.roles:
        abort(403)
    available = next((a for a in available_actions(current_user, application) if a.name == name),
                     None)
    return action, available


def _initial(action, application, pack) -> dict:
    initial = {}
    if TERMS_EFFECT in {step.name for step in action.effects} and application.terms:
        initial |= {k: v for k, v in initial_values(action.fields, application.terms).items()
                    if k not in NOT_CARRIED_OVER}
    if pack is not None and PACK_FIELD in {f.name for f in action.fields}:
        initial[PACK_FIELD] = pack.sha256
    return initial


@bp.route("/<action_name>", methods=["GET", "POST"])
def take(application_id: int, action_name: str):
    application = get_application(current_user, application_id)
    workflow = workflows()[application.workflow]
    action, available = _action(workflow, application, action_name)
    pack = reads.current_legal_pack(application)
    form = action_form(action, application, initial=_initial(action, application, pack))
    status = 200
    if form.validate_on_submit():
        status = take_from_form(form, application, action.name, action.fields)
        if status is None:
            flash(f"Done: {action.label}.", "success")
            return redirect(url_for("council.case.show", application_id=application.id))
        # Whatever was refused, the page now shows the state as it is.
        available = next((a for a in available_actions(current_user, application)
                          if a.name == action.name), None)
    elif not form.is_submitted() and available is None:
        flash(f"“{action.label}” cannot be taken at this stage.", "error")
        return redirect(url_for("council.case.show", application_id=application.id))
    events = reads.events_for(current_user, application)
    papers = None
    if DECIDES in action.roles:
        papers = decision_papers(workflow, events, reads.documents_of(application))
    return render_template(
        "council/action.html",
        application=application,
        workflow=workflow,
        action=action,
        available=available,
        form=form,
        papers=papers,
        pack=pack,
        signatures=signatures_on(pack, events),
    ), status
