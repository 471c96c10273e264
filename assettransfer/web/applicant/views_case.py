"""Pages for community groups making requests: ``/applications``.

Here: the list of a group's applications, starting one, the application page (where it stands,
what happens next, deadlines, documents, history) and the workflow actions open to the group.
The form itself (task list, questions, check answers, uploads) is in ``views_form``.
Another organisation's application is a 404 on every page (``get_application`` says NotFound).
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ...services import applications, organisations, queues
from ...services.assets import get_asset
from ...services.cases import case_for
from ...services.messages import messages_about
from ...workflow import workflows
from ...workflow.definition import PACK_FINGERPRINT
from ..actions import take_from_form
from ..forms import saving
from ..forms.applicant import StartForm
from ..forms.workflow import action_form
from ..tasks import STATUS_TEXT
from .blueprint import bp
from .views_form import load


@bp.get("/")
def index():
    pager = queues.list_applications(current_user, page=request.args.get("page", 1),
                                     per_page=current_app.config["PAGE_SIZE"])
    registry = workflows()
    rows = [(a, registry[a.workflow].title, registry[a.workflow].states[a.state].applicant_label)
            for a in pager.items]
    return render_template("applicant/index.html", pager=pager, rows=rows,
                           organisations=organisations.organisations_of(current_user))


@bp.route("/start/<int:asset_id>", methods=["GET", "POST"])
def start(asset_id: int):
    asset = get_asset(asset_id)
    choices = organisations.organisations_of(current_user)
    if not choices:
        flash("Register your organisation before you start an application.", "info")
        back = url_for("public.asset", asset_id=asset.id)
        return redirect(url_for("organisation.new", next=back))
    routes = workflows().offered_workflows()
    form = StartForm()
    form.organisation.choices = [SelectChoice(str(o.id), o.name) for o in choices]
    form.workflow.choices = [SelectChoice(w.key, w.title) for w in routes]
    if len(choices) == 1 and not form.organisation.data:
        form.organisation.data = str(choices[0].id)
    if form.validate_on_submit():
        organisation = organisations.get_organisation(current_user, int(form.organisation.data))
        with saving(form, fallback="workflow") as saved:
            application = applications.start_application(
                current_user, form.workflow.data, asset, organisation)
        if saved.ok:
            flash(f"Application {application.reference} started. Your answers are saved as you go.",
                  "success")
            return redirect(url_for(".show", application_id=application.id))
    return render_template("applicant/start.html", asset=asset, start_form=form, form=form,
                           routes=routes)


def _action_items(case) -> list[dict]:
    """The actions open to the user, each with where its button goes and whether it ends the
    application (those buttons are styled as warnings)."""
    workflow, application = case.workflow, case.application
    submit = workflow.submission_action(application.state)
    items = []
    for action in case.actions:
        dest = workflow.actions[action.name].dest
        sends = submit is not None and action.name == submit.name
        if sends:
            href = url_for(".form.check", application_id=application.id)
        else:
            href = url_for(".action", application_id=application.id, action_name=action.name)
        items.append({"action": action, "href": href, "sends_form": sends,
                      "ends": bool(dest and workflow.states[dest].final)})
    return items


@bp.get("/<int:application_id>")
def show(application_id: int):
    application, workflow = load(application_id)
    case = case_for(current_user, application)
    return render_template(
        "applicant/show.html",
        application=application, workflow=workflow, state=case.state,
        tasks=case.tasks, status_text=STATUS_TEXT,
        actions=_action_items(case),
        events=case.events,
        deadlines=case.deadlines,
        documents=case.documents,
        replaced_by=case.replaced_by,
        preparing=case.preparing,
        attachments=case.attachments,
        today=case.today,
        messages=messages_about(application, to_users=[
            m.user_id for m in application.organisation.memberships]),
    )


@bp.route("/<int:application_id>/actions/<action_name>", methods=["GET", "POST"])
def action(application_id: int, action_name: str):
    application, workflow = load(application_id)
    case = case_for(current_user, application)
    chosen = case.action(action_name)
    if chosen is None:
        return render_template("errors/error.html", title="This action is not available",
                               paragraphs=[("It may already have been taken, or the application "
                                           "may have moved on."),
                                           ]), 404
    submit = workflow.submission_action(application.state)
    if submit is not None and submit.name == chosen.name:
        return redirect(url_for(".form.check", application_id=application.id))
    pack = case.pack if workflow.actions[chosen.name].signs_pack else None
    form = action_form(chosen, application,
                       initial={PACK_FINGERPRINT: pack.sha256} if pack is not None else None)
    status = 200
    if chosen.possible and form.validate_on_submit():
        taken = take_from_form(form, application, chosen.name, chosen.fields)
        if taken.ok:
            flash(f"Done: {chosen.label}.", "success")
            return redirect(url_for(".show", application_id=application.id))
        status = taken.status
    return render_template("applicant/action.html", application=application, workflow=workflow,
                           action=chosen, form=form, pack=pack), status
