"""A community group's organisation: its profile, who can act for it, and which routes it can
use: ``/organisations``."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ...models import COMMUNITY_CONTROL_QUESTIONS, Role
from ...services import organisations
from ..access import require_login, safe_next
from ..forms import saving
from ..forms.organisation import AddMemberForm, LeadContactForm
from ..forms.workflow import form_class, form_data, initial_values

bp = Blueprint("organisation", __name__, url_prefix="/organisations")
bp.before_request(require_login)

FIELDS = organisations.ORGANISATION_FIELDS
# The profile form's parts: (heading, introduction, field names).
GROUPS = (
    ("About your organisation", "", ("name", "legal_form", "charity_number", "company_number",
                                     "address", "postcode")),
    ("Members and community", "", ("member_count", "local_voter_member_count",
                                   "community_definition")),
    ("Community control",
     ("Some routes are only open to community-controlled bodies, as section 19 of the Community "
     "Empowerment (Scotland) Act 2015 defines them. Answer for your organisation as it is now."),
     tuple(COMMUNITY_CONTROL_QUESTIONS)),
)
ProfileForm = form_class(FIELDS, version=False, name="OrganisationForm")


def _profile(organisation) -> dict:
    values = {f.name: getattr(organisation, f.name) for f in FIELDS}
    values["legal_form"] = organisation.legal_form.value
    return initial_values(FIELDS, values)


def _summary(organisation) -> list[tuple[str, list]]:
    """(heading, [(question, answer, change link)]) for each part of the profile."""
    specs = {f.name: f for f in FIELDS}
    change = url_for(".edit", organisation_id=organisation.id)
    return [(heading, [(specs[name].label, specs[name].in_words(getattr(organisation, name)),
                        f"{change}#{name}") for name in names])
            for heading, _, names in GROUPS]


@bp.get("/")
def index():
    return render_template("organisation/index.html",
                           organisations=organisations.organisations_of(current_user))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ProfileForm()
    target = safe_next(request.values.get("next"))
    if form.validate_on_submit():
        with saving(form) as saved:
            organisation = organisations.create_organisation(current_user, form_data(form, FIELDS))
        if saved.ok:
            flash(f"{organisation.name} has been registered. You are its lead contact.", "success")
            return redirect(target or url_for(".show", organisation_id=organisation.id))
    return render_template("organisation/edit.html", form=form, groups=GROUPS, organisation=None,
                           next=target)


@bp.get("/<int:organisation_id>")
def show(organisation_id: int):
    organisation = organisations.get_organisation(current_user, organisation_id)
    return render_template(
        "organisation/show.html", organisation=organisation, summary=_summary(organisation),
        routes=organisations.eligibility(organisation),
    )


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit(organisation_id: int):
    organisation = organisations.get_organisation(current_user, organisation_id)
    form = ProfileForm(data=_profile(organisation))
    if form.validate_on_submit():
        with saving(form) as saved:
            organisations.update_organisation(current_user, organisation, form_data(form, FIELDS))
        if saved.ok:
            flash("Your organisation’s details have been saved.", "success")
            return redirect(url_for(".show", organisation_id=organisation.id))
    return render_template("organisation/edit.html", form=form, groups=GROUPS,
                           organisation=organisation, next=None)


@bp.get("/<int:organisation_id>/eligibility")
def eligibility(organisation_id: int):
    organisation = organisations.get_organisation(current_user, organisation_id)
    return render_template("organisation/eligibility.html", organisation=organisation,
                           routes=organisations.eligibility(organisation))


def _lead_form(organisation) -> LeadContactForm:
    form = LeadContactForm()
    form.member.choices = [SelectChoice(str(m.user_id), f"{m.user.name} ({m.user.email})")
                           for m in _memberships(organisation) if not m.is_lead_contact]
    return form


def _memberships(organisation) -> list:
    return sorted(organisation.memberships,
                  key=lambda m: (not m.is_lead_contact, m.user.name.lower()))


def _members_page(organisation, form, lead_form):
    lead = organisation.lead_contact
    is_lead = lead is not None and lead.id == current_user.id
    # A council admin may reassign the role, for a lead contact who has left.
    may_change_lead = is_lead or current_user.role is Role.ADMIN
    return render_template("organisation/members.html", organisation=organisation,
                           memberships=_memberships(organisation), form=form, is_lead=is_lead,
                           lead_form=lead_form if may_change_lead else None)


@bp.route("/<int:organisation_id>/members", methods=["GET", "POST"])
def members(organisation_id: int):
    organisation = organisations.get_organisation(current_user, organisation_id)
    form = AddMemberForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            membership = organisations.add_member(current_user, organisation, form.email.data)
        if saved.ok:
            flash(f"{membership.user.name} can now act for {organisation.name}.", "success")
            return redirect(url_for(".members", organisation_id=organisation.id))
    return _members_page(organisation, form, _lead_form(organisation))


@bp.post("/<int:organisation_id>/lead")
def change_lead(organisation_id: int):
    organisation = organisations.get_organisation(current_user, organisation_id)
    lead_form = _lead_form(organisation)
    if lead_form.validate_on_submit():
        with saving(lead_form, fallback="member") as saved:
            membership = organisations.change_lead_contact(current_user, organisation,
                                                           lead_form.member.data)
        if saved.ok:
            flash(f"{membership.user.name} is now the lead contact for {organisation.name}. "
                  "We have told them, and the previous lead contact, by email.", "success")
            return redirect(url_for(".members", organisation_id=organisation.id))
    return _members_page(organisation, AddMemberForm(formdata=None), lead_form)
