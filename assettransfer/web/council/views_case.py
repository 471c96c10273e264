"""A case as council staff see it: ``/council/applications/<id>``, its internal notes and its
legal pack. Taking actions is in ``views_actions``; assessments in ``views_assessment``."""


from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ...services import casework
from ...services.applications import get_application
from ...services.cases import case_for
from ...services.messages import messages_about
from ..forms import saving
from ..forms.council import NoteForm

bp = Blueprint("case", __name__, url_prefix="/applications")


def answer_sections(workflow, answers) -> list[dict]:
    """The form's sections in order, each with (question, answer) rows, labels from the form."""
    answers = answers or {}
    return [
        {
            "section": section,
            "rows": [(f.label, f.in_words(answers.get(section.name, {}).get(f.name)))
                     for f in section.fields],
        }
        for section in workflow.form
        if section.fields
    ]


def decision_papers(recommendation) -> dict | None:
    """What a decision maker reads first: the recommendation in words, and its report."""
    if recommendation is None:
        return None
    fields = {f.name: f for f in recommendation.action.fields}
    return {
        "by": recommendation.by,
        "at": recommendation.at,
        "rows": [(fields[k].label if k in fields else k.replace("_", " ").capitalize(),
                  fields[k].in_words(v) if k in fields else str(v))
                 for k, v in recommendation.payload.items()],
        "report": recommendation.report,
    }


@bp.get("/<int:application_id>")
def show(application_id: int):
    return _case_page(get_application(current_user, application_id), NoteForm())


@bp.post("/<int:application_id>/notes")
def add_note(application_id: int):
    application = get_application(current_user, application_id)
    form = NoteForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            casework.add_note(current_user, application, form.text.data)
        if saved.ok:
            flash("Your note has been added.", "success")
            return redirect(url_for(".show", application_id=application.id, _anchor="notes"))
    return _case_page(application, form)


def _case_page(application, note_form):
    case = case_for(current_user, application)
    workflow = case.workflow
    return render_template(
        "council/case.html",
        application=application,
        workflow=workflow,
        state=case.state,
        sections=answer_sections(workflow, application.answers),
        attachments=case.attachments,
        deadlines=case.deadlines,
        today=case.today,
        events=case.events,
        documents=case.documents,
        replaced_by=case.replaced_by,
        preparing=case.preparing,
        notes=case.notes,
        messages=messages_about(application),
        form=note_form,
        actions=case.actions,
        papers=decision_papers(case.recommendation),
        pack=case.pack,
        assessed=bool(workflow.criteria),
        representations=bool(workflow.representation_states),
    )


@bp.get("/<int:application_id>/legal-pack")
def legal_pack(application_id: int):
    """The current legal pack: its fingerprint, its manifest of items, and who has signed it."""
    case = case_for(current_user, get_application(current_user, application_id))
    return render_template(
        "council/legal_pack.html",
        application=case.application,
        workflow=case.workflow,
        pack=case.pack,
        manifest=(case.pack.manifest or {}) if case.pack else {},
        signatures=case.signatures,
        actions=case.actions,
    )
