"""A case as council staff see it: ``/council/applications/<id>``, its internal notes and its
legal pack. Taking actions is in ``views_actions``; assessments in ``views_assessment``."""


from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ...services import casework, reads
from ...services.actions import available_actions
from ...services.applications import get_application
from ...services.attachments import attachments_of
from ...services.deadlines import current_deadlines
from ...workflow import workflows
from ...workflow.calendar import uk_today
from ..forms import saving
from ..forms.council import NoteForm

bp = Blueprint("case", __name__, url_prefix="/applications")

RECOMMEND = "recommend"  # the action whose payload is the officers' recommendation
ASSESSMENT_REPORT = "assessment_report"
SIGN = "sign"


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


def recommendation_of(events) -> dict | None:
    """The latest recommendation on the trail: who made it, when, and what it said."""
    event = next((e for e in reversed(events) if e.action == RECOMMEND), None)
    if event is None:
        return None
    return {"by": event.actor_name, "at": event.at, "payload": event.payload}


def decision_papers(workflow, events, documents) -> dict | None:
    """What a decision maker reads first: the recommendation and the current assessment report."""
    recommendation = recommendation_of(events)
    if recommendation is None:
        return None
    fields = {f.name: f for f in workflow.actions[RECOMMEND].fields} \
        if RECOMMEND in workflow.actions else {}
    report = next((d for d in reversed(documents)
                   if d.kind == ASSESSMENT_REPORT and d.is_current), None)
    return {
        **recommendation,
        "rows": [(fields[k].label if k in fields else k.replace("_", " ").capitalize(),
                  fields[k].in_words(v) if k in fields else str(v))
                 for k, v in recommendation["payload"].items()],
        "report": report,
    }


def signatures_on(pack, events) -> list[dict]:
    """Who signed this version of the pack, read from the trail (the password is never kept)."""
    if pack is None:
        return []
    return [{"name": e.payload.get("full_name") or e.actor_name, "role": e.actor_role, "at": e.at}
            for e in events if e.action == SIGN and e.payload.get("pack_sha256") == pack.sha256]


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
    workflow = workflows()[application.workflow]
    events = reads.events_for(current_user, application)
    documents = reads.documents_of(application)
    return render_template(
        "council/case.html",
        application=application,
        workflow=workflow,
        state=workflow.states[application.state],
        sections=answer_sections(workflow, application.answers),
        attachments=attachments_of(application),
        deadlines=current_deadlines(application),
        today=uk_today(),
        events=events,
        documents=documents,
        notes=casework.notes_of(application),
        form=note_form,
        actions=available_actions(current_user, application),
        papers=decision_papers(workflow, events, documents),
        pack=reads.current_legal_pack(application),
        assessed=bool(workflow.criteria),
        representations=bool(workflow.representation_states),
    )


@bp.get("/<int:application_id>/legal-pack")
def legal_pack(application_id: int):
    """The current legal pack: its fingerprint, its manifest of items, and who has signed it."""
    application = get_application(current_user, application_id)
    workflow = workflows()[application.workflow]
    pack = reads.current_legal_pack(application)
    events = reads.events_for(current_user, application)
    return render_template(
        "council/legal_pack.html",
        application=application,
        workflow=workflow,
        pack=pack,
        manifest=(pack.manifest or {}) if pack else {},
        signatures=signatures_on(pack, events),
        actions=available_actions(current_user, application),
    )
