"""Community bodies: their profile, members, and what each route still needs of them."""
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import select

from ..extensions import db
from ..models import COMMUNITY_CONTROL_QUESTIONS, LegalForm, Membership, Organisation, Role, User
from ..models.types import utcnow
from ..workflow import workflows
from ..workflow.context import ActionContext
from ..workflow.fields import Field, Option
from . import account_audit
from .account_links import link
from .errors import FieldError, NotAllowed, NotFound, ValidationFailed
from .guards import GUARDS
from .messages import queue_message
from .records import by_id, clean_record

MEMBERS_PATH = "/organisations/{id}/members"

ORGANISATION_FIELDS = (
    Field("name", "Name of the organisation", "text", required=True),
    Field("legal_form", "Legal form", "choice", required=True,
          options=tuple(Option(f.value, f.label) for f in LegalForm)),
    Field("charity_number", "Charity number", "text"),
    Field("company_number", "Company number", "text"),
    Field("address", "Address", "long_text", required=True),
    Field("postcode", "Postcode", "postcode", required=True),
    Field("member_count", "Number of members", "number", required=True),
    Field("local_voter_member_count", "Members registered to vote in the area", "number",
          required=True),
    Field("community_definition", "The community your organisation serves", "long_text",
          required=True),
) + tuple(Field(name, question, "yes_no") for name, question in COMMUNITY_CONTROL_QUESTIONS.items())

# Guards of a route's first submission that depend on the body itself, not on the application.
BODY_GUARDS = ("community_controlled", "ownership_body", "eligible_nominator")


def _clean(data, partial: bool) -> dict:
    if isinstance(data, dict) and isinstance(data.get("community_controlled"), dict):
        data = ({k: v for k, v in data.items() if k != "community_controlled"}
                | data["community_controlled"])
    cleaned, errors = clean_record(ORGANISATION_FIELDS, data, partial)
    for name in ("member_count", "local_voter_member_count"):
        if isinstance(cleaned.get(name), float):
            errors.append(FieldError(name, "Enter a whole number"))
    if (cleaned.get("local_voter_member_count") or 0) > (cleaned.get("member_count") or 0) \
            and not partial:
        errors.append(FieldError("local_voter_member_count",
                                 "Cannot be more than the number of members"))
    for name in ("name", "charity_number", "company_number"):
        limit = 200 if name == "name" else 20
        if cleaned.get(name) and len(cleaned[name]) > limit:
            errors.append(FieldError(name, f"Must be {limit} characters or fewer"))
    if errors:
        raise ValidationFailed("The organisation's details need correcting", errors)
    if "legal_form" in cleaned:
        cleaned["legal_form"] = LegalForm(cleaned["legal_form"])
    return cleaned


def create_organisation(user, data) -> Organisation:
    """A new community body with the user as its lead contact."""
    if user.role != Role.APPLICANT:
        raise NotAllowed("Only community group accounts can register an organisation")
    organisation = Organisation(**_clean(data, partial=False))
    organisation.memberships.append(Membership(user=user, is_lead_contact=True))
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(user, organisation: Organisation, data) -> Organisation:
    if not organisation.has_member(user):
        raise NotAllowed("Only members can change the organisation's details")
    for name, value in _clean(data, partial=True).items():
        setattr(organisation, name, value)
    if organisation.local_voter_member_count > organisation.member_count:
        raise ValidationFailed("The organisation's details need correcting", [FieldError(
            "local_voter_member_count", "Cannot be more than the number of members")])
    db.session.flush()
    return organisation


def add_member(user, organisation: Organisation, email) -> Membership:
    """The lead contact adds someone who already has a community group account."""
    lead = organisation.lead_contact
    if lead is None or lead.id != user.id:
        raise NotAllowed("Only the lead contact can add members")
    address = (email or "").strip().lower() if isinstance(email, str) else ""
    member = db.session.scalar(select(User).where(User.email == address))
    if member is None or member.role != Role.APPLICANT:
        raise ValidationFailed("No community group account has that email", [FieldError(
            "email", "Ask them to create an account first, "
                     "then add them with the email they used")])
    if organisation.has_member(member):
        raise ValidationFailed("Already a member",
                               [FieldError("email", f"{member.name} is already a member")])
    membership = Membership(user=member, organisation=organisation)
    db.session.add(membership)
    db.session.flush()
    return membership


def change_lead_contact(user, organisation: Organisation, member_id) -> Membership:
    """Make the member ``member_id`` the organisation's lead contact, in place of the one it has.

    The lead contact hands the role over; a council admin reassigns it (the lead has left, or
    cannot be reached). Both leads, old and new, are told, and the account trail records who did
    it.

    :raises NotAllowed: unless ``user`` is the lead contact or a council admin.
    :raises ValidationFailed: on field ``member`` (not a member, already the lead, or an address
    not yet confirmed).
    """
    old_lead = organisation.lead_contact
    handing_over = old_lead is not None and old_lead.id == user.id
    if not handing_over and user.role != Role.ADMIN:
        raise NotAllowed("Only the lead contact, or a council admin, can change the lead contact")
    new_membership = next((m for m in organisation.memberships
                           if str(m.user_id) == str(member_id)), None)
    if new_membership is None:
        raise ValidationFailed("Choose a member", [FieldError(
            "member", "Choose a member of the organisation")])
    new_lead = new_membership.user
    if new_membership.is_lead_contact:
        raise ValidationFailed("Already the lead contact", [FieldError(
            "member", f"{new_lead.name} is already the lead contact")])
    if not new_lead.email_confirmed:
        raise ValidationFailed("Email address not confirmed", [FieldError(
            "member", f"{new_lead.name} must confirm their email address first")])
    for membership in organisation.memberships:
        membership.is_lead_contact = membership is new_membership
    db.session.flush()
    how = "handed_over" if handing_over else "reassigned_by_admin"
    account_audit.record("lead_contact_changed", new_lead.id, by_user_id=user.id,
                         organisation_id=organisation.id,
                         previous_lead_id=old_lead.id if old_lead else None, how=how)
    _tell_leads(organisation, old_lead, new_lead, user)
    return new_membership


def _tell_leads(organisation: Organisation, old_lead, new_lead, by) -> None:
    at = utcnow().isoformat()
    url = link(MEMBERS_PATH.format(id=organisation.id), "")
    for person in (old_lead, new_lead):
        if person is None:
            continue
        queue_message(
            "lead_contact_changed", user=person, to_name=person.name, to_address=person.email,
            key=f"organisation:{organisation.id}:lead:{new_lead.id}:{at}:{person.id}:email",
            context={"to_name": person.name, "organisation": organisation.name,
                     "new_lead": new_lead.name, "is_new_lead": person is new_lead,
                     "by_council": by.is_council, "url": url})


def get_organisation(user, organisation_id) -> Organisation:
    organisation = by_id(Organisation, organisation_id)
    if organisation is None or not (user.is_council or organisation.has_member(user)):
        raise NotFound("No such organisation")
    return organisation


def organisations_of(user) -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).join(Membership).where(Membership.user_id == user.id)
        .order_by(Organisation.name)
    ))


@dataclass(frozen=True)
class RouteEligibility:
    workflow_key: str
    title: str
    unmet: tuple[str, ...]  # what the body still needs, in the guards' own words

    @property
    def eligible(self) -> bool:
        return not self.unmet


def eligibility(organisation: Organisation) -> list[RouteEligibility]:
    """For each route the council offers, what the body still needs before it could apply.

    The checks are the routes' own submission guards that concern the body, run against a request
    that would need the most (e.g. ownership), so the rules live in one place: the workflow files.
    """
    results = []
    for workflow in workflows().offered_workflows():
        first = workflow.actions_from(workflow.initial_state)
        unmet = []
        for action in first:
            for step in action.guards:
                if step.name not in BODY_GUARDS:
                    continue
                answers = {}
                if step.name == "ownership_body":
                    section, _, field = step.params["field"].partition(".")
                    answers = {section: {field: step.params["value"]}}
                stub = SimpleNamespace(organisation=organisation, answers=answers, id=None)
                ctx = ActionContext(application=stub, workflow=workflow, action=action, actor=None,
                                    data={}, today=None, now=None)
                unmet += [f"For ownership: {m}" if step.name == "ownership_body" else m
                          for m in GUARDS[step.name](ctx, step.params)]
        results.append(RouteEligibility(workflow.key, workflow.title, tuple(dict.fromkeys(unmet))))
    return results
