"""The application form: question pages per section, "check your answers" and sending, and the
group's uploaded files. A child of the ``applicant`` blueprint (endpoints ``applicant.form.*``),
so it shares its URL prefix and its sign-in check.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ...services import applications
from ...services.actions import available_actions
from ...services.attachments import (
    add_attachment,
    attachments_of,
    get_attachment,
    human_size,
    max_bytes,
    remove_attachment,
)
from ...services.file_types import FILE_TYPES, accepted_types
from ...workflow import workflows
from ..actions import take_from_form
from ..forms import saving
from ..forms.applicant import ButtonForm, UploadForm
from ..forms.workflow import form_class, form_data, form_version, initial_values
from ..tasks import section_pages

bp = Blueprint("form", __name__)



def load(application_id: int):
    """The application (NotFound, so a 404, unless the user's organisation made it) and its
    workflow."""
    application = applications.get_application(current_user, application_id)
    return application, workflows()[application.workflow]


def _not_editable(application, workflow):
    state = workflow.states[application.state]
    flash(f"You cannot change the application while it is “{state.applicant_label.lower()}”.",
          "info")
    return redirect(url_for("applicant.show", application_id=application.id))


def _step_of(section) -> dict[str, int]:
    return {f.name: number for number, page in enumerate(section_pages(section), start=1)
            for f in page}


@bp.route("/<int:application_id>/sections/<section_name>", defaults={"step": 1},
          methods=["GET", "POST"])
@bp.route("/<int:application_id>/sections/<section_name>/<int:step>", methods=["GET", "POST"])
def section(application_id: int, section_name: str, step: int):
    application, workflow = load(application_id)
    found = workflow.section(section_name)
    if found is None:
        abort(404)
    if not found.fields:
        return redirect(url_for(".files", application_id=application.id))
    pages = section_pages(found)
    if not 1 <= step <= len(pages):
        abort(404)
    if not workflow.states[application.state].editable:
        return _not_editable(application, workflow)
    fields = pages[step - 1]
    back_to_check = request.args.get("return") == "check"
    stored = (application.answers or {}).get(found.name)
    form = form_class(fields, name="SectionForm")(
        data={**initial_values(fields, stored), "version": application.version})
    status = 200
    if request.method == "POST":
        form.partial = request.form.get("save") == "later"
    if form.validate_on_submit():
        with saving(form, prefix=f"{found.name}.") as saved:
            applications.save_answers(current_user, application,
                                      {found.name: form_data(form, fields)}, form_version(form))
        if saved.ok:
            return _after_saving(application, found, step, len(pages), form.partial,
                                 back_to_check)
        status = saved.status
    return render_template(
        "applicant/section.html", application=application, workflow=workflow, section=found,
        form=form, step=step, steps=len(pages), back_to_check=back_to_check,
    ), status


def _after_saving(application, section, step: int, steps: int, later: bool, back_to_check: bool):
    """Where a saved page of answers leads: the case page ("come back later"), the check page, or
    the section's next page."""
    if later:
        flash("Your answers have been saved. You can come back to them at any time.", "success")
    elif back_to_check:
        return redirect(url_for(".check", application_id=application.id))
    elif step < steps:
        return redirect(url_for(".section", application_id=application.id,
                                section_name=section.name, step=step + 1))
    return redirect(url_for("applicant.show", application_id=application.id))


def _answer_rows(application, workflow, sections) -> list[tuple]:
    """(section, [(question, answer in words, change link)]) for "check your answers"."""
    result = []
    for sec in sections:
        if not sec.fields:
            continue
        stored = (application.answers or {}).get(sec.name) or {}
        steps = _step_of(sec)
        rows = []
        for spec in sec.fields:
            link = url_for(".section", application_id=application.id, section_name=sec.name,
                           step=steps[spec.name], **{"return": "check"}) + f"#{spec.name}"
            rows.append((spec.label, spec.in_words(stored.get(spec.name)), link))
        result.append((sec, rows))
    return result


@bp.route("/<int:application_id>/check", methods=["GET", "POST"])
def check(application_id: int):
    application, workflow = load(application_id)
    submit = workflow.submission_action(application.state)
    if submit is None:
        return _not_editable(application, workflow)
    available = next((a for a in available_actions(current_user, application)
                      if a.name == submit.name), None)
    if available is None:
        abort(404)
    form = form_class(
        submit.fields, name="SendForm",
        confirm=f"I confirm that the information in this application is correct, and that I "
                f"may send it for {application.organisation.name}",
        confirm_hint=submit.confirm,
        confirm_error="Tick the box to confirm the information is correct and you may send it",
    )(data={"version": application.version})
    status = 200
    if form.validate_on_submit():
        taken = take_from_form(form, application, submit.name, submit.fields)
        if taken.ok:
            return redirect(url_for(".sent", application_id=application.id))
        status = taken.status
    kinds = submit.needed_attachments
    uploaded = attachments_of(application)
    have = {a.kind.value for a in uploaded}
    answers = _answer_rows(application, workflow, workflow.sections_needed_by(submit))
    return render_template(
        "applicant/check.html", application=application, workflow=workflow, action=available,
        form=form, answers=answers,
        needed_kinds=kinds, missing_kinds=[k for k in kinds if k not in have],
        attachments=uploaded,
    ), status


@bp.get("/<int:application_id>/sent")
def sent(application_id: int):
    application, workflow = load(application_id)
    return render_template("applicant/sent.html", application=application,
                           state=workflow.states[application.state])


@bp.route("/<int:application_id>/files", methods=["GET", "POST"])
def files(application_id: int):
    application, workflow = load(application_id)
    editable = workflow.states[application.state].editable
    status = 200
    try:
        form = UploadForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form, submitted, status = UploadForm(formdata=None), False, 413
        form.file.errors = [f"The file must be smaller than {human_size(max_bytes())}"]
    if submitted and not editable:
        return _not_editable(application, workflow)
    if submitted:
        upload = form.file.data
        with saving(form) as saved:
            attachment = add_attachment(current_user, application, form.kind.data,
                                        upload.filename, upload.read())
        if saved.ok:
            flash(f"{attachment.original_filename} has been uploaded.", "success")
            return redirect(url_for(".files", application_id=application.id))
    submit = workflow.submission_action(application.state)
    kinds = submit.needed_attachments if submit else ()
    uploaded = attachments_of(application)
    return render_template(
        "applicant/files.html", application=application, workflow=workflow, form=form,
        attachments=uploaded, editable=editable, needed_kinds=kinds,
        uploaded_kinds={a.kind.value for a in uploaded}, accepted=accepted_types(),
        accept=",".join(f".{extension}" for extension in FILE_TYPES),
        max_size=human_size(max_bytes()), button=ButtonForm(formdata=None),
    ), status


@bp.post("/<int:application_id>/files/<int:attachment_id>/remove")
def remove_file(application_id: int, attachment_id: int):
    application, workflow = load(application_id)
    attachment = get_attachment(current_user, attachment_id)
    if attachment.application_id != application.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not workflow.states[application.state].editable:
        return _not_editable(application, workflow)
    name = attachment.original_filename
    remove_attachment(current_user, attachment)
    flash(f"{name} has been removed.", "success")
    return redirect(url_for(".files", application_id=application.id))
