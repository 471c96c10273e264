"""Guards named in the workflow YAML, those any process may use. Each returns the reasons it
fails, in words for users. The guards of one statute are in ``guards_scotland`` and
``guards_disposal``.

A guard given data it does not need passes; required data is checked by the action's fields.
"""
from sqlalchemy import select

from ..documents.service import SIGNATORIES, current_legal_pack, legal_pack_in_preparation
from ..extensions import db
from ..models import (
    COMMUNITY_CONTROL_QUESTIONS,
    Assessment,
    Attachment,
    Deadline,
    Event,
    JobStatus,
    Role,
    Signature,
)
from ..wording import long_date
from ..workflow.calendar import add_months
from ..workflow.context import ActionContext, role_of
from ..workflow.definition import PACK_FINGERPRINT, SECOND_FACTOR, SIGNER_NAME
from ..workflow.steps import Registry
from . import two_factor
from .accounts import password_matches
from .case_facts import answer, last_of

GUARDS = guard = Registry()


def _open_deadline(ctx: ActionContext, name: str) -> Deadline | None:
    return db.session.scalar(
        select(Deadline)
        .where(Deadline.application_id == ctx.application.id, Deadline.name == name,
               Deadline.superseded_at.is_(None))
        .order_by(Deadline.id.desc())
    )


@guard
def sections_complete(ctx: ActionContext, sections=None) -> list[str]:
    """Every required question of the named sections (all by default) is answered."""
    failures = []
    for section in ctx.workflow.sections:
        if sections is not None and section.name not in sections:
            continue
        answers = (ctx.application.answers or {}).get(section.name, {})
        failures += [
            f"Answer “{f.label}” in “{section.title}”"
            for f in section.fields
            if f.required and answers.get(f.name) in (None, "")
        ]
    return failures


@guard
def attachments_present(ctx: ActionContext, kinds) -> list[str]:
    present = set(db.session.scalars(
        select(Attachment.kind).where(Attachment.application_id == ctx.application.id)
    ))
    return [
        f"Upload your {kind.replace('_', ' ')}"
        for kind in kinds if kind not in {p.value for p in present}
    ]


@guard
def community_controlled(ctx: ActionContext, params=None) -> list[str]:
    """Community Empowerment (Scotland) Act 2015 s19: the body must be community-controlled."""
    org = ctx.application.organisation
    return [
        f"Your organisation must be able to answer yes to: {question}"
        for name, question in COMMUNITY_CONTROL_QUESTIONS.items()
        if getattr(org, name) is not True
    ]


@guard
def ownership_body(ctx: ActionContext, params) -> list[str]:
    """s80: a request for ownership needs an incorporated body of enough members."""
    if answer(ctx.application, params["field"]) != params["value"]:
        return []
    org, failures = ctx.application.organisation, []
    if org.legal_form.value not in params["legal_forms"]:
        failures.append(
            "Only a company, a SCIO or a community benefit society can ask to buy land; "
            f"your organisation is registered as: {org.legal_form.label}"
        )
    if org.member_count < params["min_members"]:
        failures.append(
            f"A body asking to buy land needs at least {params['min_members']} members; "
            f"yours has {org.member_count}"
        )
    return failures


@guard
def answer_is(ctx: ActionContext, params) -> list[str]:
    matches = answer(ctx.application, params["field"]) == params["value"]
    return [] if matches else [params["message"]]


@guard
def eligible_nominator(ctx: ActionContext, params) -> list[str]:
    """Localism Act 2011 s89 and SI 2012/2421 reg 5: who may nominate land."""
    org = ctx.application.organisation
    if org.is_incorporated or org.legal_form.value in params.get("exempt_forms", ()):
        return []
    needed = params["min_local_voters"]
    if org.local_voter_member_count < needed:
        return [(
            f"An unincorporated group needs at least {needed} members registered to vote in the "
            f"area; yours has {org.local_voter_member_count}"
        )]
    return []


@guard
def date_not_in_future(ctx: ActionContext, field) -> list[str]:
    day = ctx.data.get(field)
    if day and day > ctx.today:
        return [f"The date must be today or earlier, not {long_date(day)}"]
    return []


@guard
def date_months_ahead(ctx: ActionContext, params) -> list[str]:
    day, months = ctx.data.get(params["field"]), params["months"]
    earliest = add_months(ctx.today, months)
    if day and day < earliest:
        return [f"The date must be at least {months} months from today: "
                f"{long_date(earliest)} or later"]
    return []


@guard
def deadline_passed(ctx: ActionContext, name) -> list[str]:
    deadline = _open_deadline(ctx, name)
    label = ctx.workflow.deadlines[name].label.lower()
    if deadline is None:
        return [f"The {label} has not started"]
    if ctx.today <= deadline.due_on:
        return [f"The {label} runs until {long_date(deadline.due_on)}"]
    return []


@guard
def within_deadline(ctx: ActionContext, params) -> list[str]:
    """Today, or the date given in ``date_field``, is on or before the deadline's due date."""
    name, date_field = (params, None) if isinstance(params, str) else \
        (params["deadline"], params.get("date_field"))
    deadline = _open_deadline(ctx, name)
    label = ctx.workflow.deadlines[name].label.lower()
    if deadline is None:
        return [f"The {label} has not started"]
    day = ctx.data.get(date_field) if date_field else ctx.today
    if day and day > deadline.due_on:
        return [f"The {label} ended on {long_date(deadline.due_on)}"]
    return []


@guard
def action_taken_or_deadline_passed(ctx: ActionContext, params) -> list[str]:
    taken = db.session.scalar(
        select(Event.id).where(Event.application_id == ctx.application.id,
                               Event.action == params["action"]).limit(1)
    )
    if taken:
        return []
    deadline = _open_deadline(ctx, params["deadline"])
    if deadline and ctx.today > deadline.due_on:
        return []
    until = f" until {long_date(deadline.due_on)}" if deadline else ""
    return [f"Wait for the applicant's comments, or for the comment period to end{until}"]


@guard
def later_than_deadline(ctx: ActionContext, params) -> list[str]:
    deadline, day = _open_deadline(ctx, params["deadline"]), ctx.data.get(params["field"])
    if deadline and day and day <= deadline.due_on:
        return [f"The new date must be after the current one, {long_date(deadline.due_on)}"]
    return []


@guard
def independent_decision(ctx: ActionContext, params) -> list[str]:
    """The officer who assessed or recommended a case never decides it."""
    actor_id = ctx.actor.id
    assessed = db.session.scalar(
        select(Assessment.id).where(Assessment.application_id == ctx.application.id,
                                    Assessment.assessor_id == actor_id)
    )
    acted = db.session.scalar(
        select(Event.action).where(Event.application_id == ctx.application.id,
                                   Event.actor_id == actor_id,
                                   Event.action.in_(params["actions"])).limit(1)
    )
    if assessed or acted:
        return ["You assessed or recommended this case, so someone else must decide it"]
    return []


def _criteria_covered(ctx: ActionContext, assessment: Assessment) -> bool:
    weighted = any(c.weight for c in ctx.workflow.criteria)
    for criterion in ctx.workflow.criteria:
        if weighted and assessment.scores.get(criterion.name) is None:
            return False
        if not weighted and not (assessment.comments.get(criterion.name) or "").strip():
            return False
    return True


@guard
def assessments_complete(ctx: ActionContext, params) -> list[str]:
    needed = params.get("min_assessors", 1)
    assessments = db.session.scalars(
        select(Assessment).where(Assessment.application_id == ctx.application.id)
    ).all()
    complete = sum(1 for a in assessments if _criteria_covered(ctx, a))
    if complete >= needed:
        return []
    what = "scored every criterion" if any(c.weight for c in ctx.workflow.criteria) \
        else "recorded findings on every matter"
    return [f"At least {needed} officer{'s' if needed > 1 else ''} must have {what}; "
            f"so far {complete}"]


@guard
def may_sign_pack(ctx: ActionContext, params=None) -> list[str]:
    app, actor, failures = ctx.application, ctx.actor, []
    lead = app.organisation.lead_contact
    if role_of(actor) == Role.APPLICANT and (lead is None or lead.id != actor.id):
        failures.append("Only your organisation's lead contact can sign the legal pack")
    preparing = _pack_in_preparation(app)
    if preparing:
        return failures + preparing
    pack = current_legal_pack(app)
    if pack is None:
        return failures + ["No legal pack has been issued yet"]
    given = ctx.data.get(PACK_FINGERPRINT)
    # A file of the pack from before another party signed it has the same content: it counts.
    if given and given != pack.sha256 and not db.session.scalar(select(Signature.id).where(
            Signature.document_id == pack.id, Signature.pack_sha256 == given).limit(1)):
        failures.append("This is not the current legal pack: "
                        "download the latest version and sign that")
    if db.session.scalar(select(Signature.id).where(Signature.document_id == pack.id,
                                                    Signature.user_id == actor.id)):
        failures.append("You have already signed this legal pack")
    typed = ctx.data.get(SIGNER_NAME)
    if typed and not same_name(typed, actor.name):
        failures.append(f"Type your name as your account has it: {actor.name}")
    password = ctx.data.get("password")
    if password and not password_matches(actor, password):
        failures.append("The password is not right")
    # The second factor is asked of staff who have one, and they must when the authority says so
    # (two_factor.must_set_up keeps them out of every page until they do).
    elif password and actor.is_council and actor.has_two_factor and not failures \
            and not two_factor.confirms(actor, ctx.data.get(SECOND_FACTOR)):
        failures.append(two_factor.WRONG_CODE)
    return failures


def same_name(typed: str, name: str) -> bool:
    """The typed name is the account's, but for case and spacing."""
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


def _pack_in_preparation(application) -> list[str]:
    order = legal_pack_in_preparation(application)
    if order is None:
        return []
    if order.status is JobStatus.FAILED:
        return [f"The {order.label.lower()} could not be built: an administrator must retry it "
                "before anyone signs"]
    return [f"The {order.label.lower()} is being prepared: it can be signed once it is ready"]


@guard
def pack_signed_by_both(ctx: ActionContext, params=None) -> list[str]:
    preparing = _pack_in_preparation(ctx.application)
    if preparing:
        return preparing
    pack = current_legal_pack(ctx.application)
    if pack is None:
        return ["No legal pack has been issued"]
    roles = set(db.session.scalars(select(Signature.role).where(Signature.document_id == pack.id)))
    missing = {Role.APPLICANT: "The applicant's lead contact has not signed the current legal pack",
               Role.LEGAL: "Legal have not signed the current legal pack"}
    return [missing[role] for role in SIGNATORIES if role.value not in roles]


@guard
def not_yet_taken(ctx: ActionContext, params) -> list[str]:
    """The action ``params['action']`` has not been taken on this case before."""
    taken = db.session.scalar(select(Event.id).where(Event.application_id == ctx.application.id,
                                                     Event.action == params["action"]).limit(1))
    return [params["message"]] if taken else []


@guard
def taken_from(ctx: ActionContext, params) -> list[str]:
    """The latest of ``params['action']`` (one action or several) on the case was taken in one of
    ``params['states']``."""
    actions = params["action"]
    event = last_of(ctx.application, [actions] if isinstance(actions, str) else actions)
    return [] if event and event.from_state in params["states"] else [params["message"]]


@guard
def date_within_period(ctx: ActionContext, params) -> list[str]:
    """The date given in ``date_field`` falls in the deadline's period: on or after the day it
    began, and on or before its last day (a request made during the interim moratorium)."""
    deadline = _open_deadline(ctx, params["deadline"])
    label = ctx.workflow.deadlines[params["deadline"]].label.lower()
    day = ctx.data.get(params["date_field"])
    if deadline is None:
        return [f"The {label} has not started"]
    if day and day < deadline.starts_on:
        return [f"The date is before the period began on {long_date(deadline.starts_on)}"]
    if day and day > deadline.due_on:
        return [f"The {label} ended on {long_date(deadline.due_on)}"]
    return []


@guard
def made_within(ctx: ActionContext, params) -> list[str]:
    """The date given in ``date_field`` is within the period this action starts from another date
    it gives (a compensation claim received within 13 weeks after the loss it names)."""
    rule = ctx.workflow.deadlines[params["deadline"]]
    start, day = ctx.data.get(rule.started_by[ctx.action.name]), ctx.data.get(params["date_field"])
    if not start or not day:
        return []
    due = rule.due_date(start, ctx.data, ctx.workflow.calendar)
    if day > due:
        return [f"The {rule.label.lower()} ended on {long_date(due)}: "
                f"{rule.describe(start, ctx.workflow.calendar)} ({rule.citation})"]
    return []


@guard
def pending(ctx: ActionContext, params) -> list[str]:
    """``action`` (one action or several) has been taken and none of ``answered_by`` since (a
    claim not yet decided)."""
    actions = params["action"]
    asked = last_of(ctx.application, [actions] if isinstance(actions, str) else actions)
    answered = last_of(ctx.application, params["answered_by"])
    if asked is None or (answered is not None and answered.seq > asked.seq):
        return [params["message"]]
    return []


@guard
def hearing_held_if_asked(ctx: ActionContext, params) -> list[str]:
    """If the latest ``request`` asked (yes/no ``field``) for an oral hearing, a ``hearing`` has
    been recorded since."""
    request = last_of(ctx.application, [params["request"]])
    if request is None or request.payload.get(params["field"]) is not True:
        return []
    hearing = last_of(ctx.application, [params["hearing"]])
    if hearing is None or hearing.seq < request.seq:
        return [params["message"]]
    return []


@guard
def data_is(ctx: ActionContext, params) -> list[str]:
    """The action's ``field`` has ``value`` (an answer the law makes a condition)."""
    given = ctx.data.get(params["field"])
    return [] if given is None or given == params["value"] else [params["message"]]
