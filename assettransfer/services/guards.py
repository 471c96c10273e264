"""Guards named in the workflow YAML. Each returns the reasons it fails, in words for users.

A guard given data it does not need passes; required data is checked by the action's fields.
"""
from sqlalchemy import select

from ..documents.service import current_legal_pack
from ..extensions import db
from ..models import (
    COMMUNITY_CONTROL_QUESTIONS,
    Assessment,
    Attachment,
    Deadline,
    Event,
    Role,
    Signature,
)
from ..wording import long_date
from ..workflow import workflows
from ..workflow.calendar import add_months
from ..workflow.context import ActionContext, role_of
from ..workflow.definition import PACK_FINGERPRINT
from . import disposal
from .accounts import password_matches
from .scottish_requests import (
    S84_BARRED,
    S84_EVIDENCE,
    S84_POSITION,
    S84_SINCE,
    answer,
    last_of,
    refused_requests_like,
    requests_barring_disposal,
)

GUARDS = {}


def guard(fn):
    GUARDS[fn.__name__] = fn
    return fn


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
    pack = current_legal_pack(app)
    if pack is None:
        return failures + ["No legal pack has been issued yet"]
    given = ctx.data.get(PACK_FINGERPRINT)
    if given and given != pack.sha256:
        failures.append("This is not the current legal pack: "
                        "download the latest version and sign that")
    if db.session.scalar(select(Signature.id).where(Signature.document_id == pack.id,
                                                    Signature.user_id == actor.id)):
        failures.append("You have already signed this legal pack")
    password = ctx.data.get("password")
    if password and not password_matches(actor, password):
        failures.append("The password is not right")
    return failures


@guard
def pack_signed_by_both(ctx: ActionContext, params=None) -> list[str]:
    pack = current_legal_pack(ctx.application)
    if pack is None:
        return ["No legal pack has been issued"]
    roles = set(db.session.scalars(select(Signature.role).where(Signature.document_id == pack.id)))
    failures = []
    if Role.APPLICANT.value not in roles:
        failures.append("The applicant's lead contact has not signed the current legal pack")
    if Role.LEGAL.value not in roles:
        failures.append("Legal have not signed the current legal pack")
    return failures



@guard
def not_yet_taken(ctx: ActionContext, params) -> list[str]:
    """The action ``params['action']`` has not been taken on this case before."""
    taken = db.session.scalar(select(Event.id).where(Event.application_id == ctx.application.id,
                                                     Event.action == params["action"]).limit(1))
    return [params["message"]] if taken else []


@guard
def taken_from(ctx: ActionContext, params) -> list[str]:
    """The latest ``params['action']`` on the case was taken in one of ``params['states']``."""
    event = last_of(ctx.application, [params["action"]])
    return [] if event and event.from_state in params["states"] else [params["message"]]


# The review outcomes of Community Empowerment (Scotland) Act 2015 s86(5), as the review actions'
# choice field gives them.
CONFIRMED, MODIFIED, SUBSTITUTED = "confirmed", "modified", "substituted"


@guard
def review_outcome_fits(ctx: ActionContext, params) -> list[str]:
    """s86(5): a review that reaches the decision reviewed (one of ``same``) confirms or modifies
    it; one that reaches another (``different``), or follows no decision at all, substitutes."""
    outcome = ctx.data.get(params["field"])
    reviewed = last_of(ctx.application, [*params["same"], *params["different"]])
    if reviewed is None:
        allowed = (SUBSTITUTED,)
        why = ("No decision was made in time, so there is none to confirm or modify: the "
               "review substitutes a decision")
    elif reviewed.action in params["same"]:
        allowed = (CONFIRMED, MODIFIED)
        why = ("This review reaches the same decision as the one reviewed, so it confirms or "
               "modifies it")
    else:
        allowed = (SUBSTITUTED,)
        why = "This review reverses the decision reviewed, so it substitutes a different decision"
    if outcome is None or outcome in allowed:
        return []
    field = next(f for f in ctx.action.fields if f.name == params["field"])
    return [f"{why} (s86(5)): choose “{'” or “'.join(field.in_words(v) for v in allowed)}”"]


@guard
def s84_exception_evidenced(ctx: ActionContext, params) -> list[str]:
    """s84: an exception to the bar on disposal has the date it began, before the request was
    made (on the date in ``params['made_on']``), and the evidence for it."""
    if ctx.data.get(S84_POSITION) in (None, S84_BARRED):
        return []
    failures = []
    since, made_on = ctx.data.get(S84_SINCE), ctx.data.get(params["made_on"])
    if since is None:
        failures.append("Give the date the land was advertised or the negotiations began")
    elif made_on and since >= made_on:
        failures.append(
            f"The exception to section 84 must have begun before the request was made on "
            f"{long_date(made_on)}; {long_date(since)} is not before it")
    if not (ctx.data.get(S84_EVIDENCE) or "").strip():
        failures.append("Give the evidence of the advertisement or negotiations")
    return failures


@guard
def open_space_record_fits_asset_type(ctx: ActionContext, params=None) -> list[str]:
    """LGA 1972 s270(1): a park or sports ground in the register is open space by its type."""
    asset = ctx.application.asset
    if ctx.data.get(disposal.OPEN_SPACE) is False and asset.asset_type in disposal.OPEN_SPACE_TYPES:
        return [f"{asset.name} is registered as a {asset.asset_type.label.lower()}, which is open "
                f"space (land used for public recreation): correct its type in the asset register "
                f"if that is wrong"]
    return []


@guard
def open_space_advertisement_needed(ctx: ActionContext, params) -> list[str]:
    """s123(2A) asks a council in England or Wales to advertise the disposal of open space."""
    nation, application = ctx.workflow.nation, ctx.application
    if nation not in disposal.UNDER_S123:
        return ["Section 123(2A) of the Local Government Act 1972 applies to councils in England "
                "and Wales only"]
    if not disposal.is_open_space(application, params["recorded_by"]):
        return [f"{application.asset.name} is not recorded as open space, so its disposal needs "
                f"no advertisement"]
    return []


@guard
def advertised_in_two_consecutive_weeks(ctx: ActionContext, params) -> list[str]:
    """s123(2A): the notice is advertised in two consecutive weeks (``disposal`` says how they
    are read), and objections may be made at least until the advertisement has run."""
    first, second, closes = (ctx.data.get(params[name])
                             for name in ("first", "second", "objections_close"))
    if not (first and second):
        return []
    if not disposal.in_consecutive_weeks(first, second):
        return [f"The second publication must be in the week after the first: 7 to 13 days after "
                f"{long_date(first)} and in the next week from Monday to Sunday"]
    last_day = disposal.advertisement_last_day(second)
    if closes and closes < last_day:
        return [f"The closing date for objections must be {long_date(last_day)} or later, when "
                f"the week of the second publication ends"]
    return []


@guard
def open_space_objections_considered(ctx: ActionContext, params) -> list[str]:
    """s123(2A): the disposal of open space is decided only after the advertisement has run and
    the objections made have been considered."""
    application = ctx.application
    if not disposal.advertisement_needed(application, ctx.workflow.nation, params["recorded_by"]):
        return []
    advertised = disposal.latest_event(application, params["advertised_by"])
    if advertised is None:
        return [f"{application.asset.name} is open space: advertise the intended disposal in two "
                f"consecutive weeks in a newspaper circulating in the area, and consider any "
                f"objections, before deciding (Local Government Act 1972 s123(2A))"]
    failures = deadline_passed(ctx, params["objections"])
    considered = disposal.latest_event(application, params["considered_by"])
    if considered is None or considered.seq < advertised.seq:
        failures.append("Record the objections received and how they were considered")
    return failures


@guard
def not_barred_by_s84(ctx: ActionContext, params) -> list[str]:
    """Community Empowerment (Scotland) Act 2015 s84(2): while an asset transfer request (of the
    workflow ``params['workflow']``) for the land is live, the authority must not dispose of it to
    anyone but the body that made the request."""
    return [
        f"Section 84 of the Community Empowerment (Scotland) Act 2015: asset transfer request "
        f"{request.reference} by {request.organisation.name} for this land is live "
        f"({workflows()[request.workflow].states[request.state].label.lower()}), so the land may "
        f"not be disposed of to anyone else until that request is disposed of, unless an "
        f"exception is recorded on it"
        for request in requests_barring_disposal(ctx.application, params["workflow"])
    ]


@guard
def repeat_of_refused_request(ctx: ActionContext, params) -> list[str]:
    """s93: an earlier request for the same land and the same type of transfer was refused, and
    today falls within the period ``params['window']`` (a deadline rule of the workflow) that
    begins with the day that request was made. The request named in ``params['reference']``, made
    on ``params['made_on']``, must be one of them."""
    rule, cal = ctx.workflow.deadlines[params["window"]], ctx.workflow.calendar
    earlier = [(request, made_on, rule.period.due_date(made_on, cal)) for request, made_on
               in refused_requests_like(ctx.application, params["same"], params["refused"])]
    within = [(r, made_on, ends) for r, made_on, ends in earlier if made_on <= ctx.today <= ends]
    if not within:
        kind = answer(ctx.application, params["same"]) or "this type of transfer"
        found = "; ".join(f"{r.reference} was made on {long_date(made_on)}, so the "
                          f"{rule.period.describe(made_on, cal)} ended on {long_date(ends)}"
                          for r, made_on, ends in earlier)
        return [f"Section 93 does not apply: no request for the same land and the same type of "
                f"transfer ({kind.replace('_', ' ')}) was refused within the two years before "
                f"this one" + (f" ({found})" if found else "")]
    reference, made_on = ctx.data.get(params["reference"]), ctx.data.get(params["made_on"])
    if not reference:
        return []
    match = next((m for m in within if m[0].reference == reference.strip().upper()), None)
    if match is None:
        return [f"{reference} is not a refused request for the same land and the same type of "
                f"transfer made within the last two years; "
                f"{', '.join(r.reference for r, *_ in within)} is"]
    if made_on and made_on != match[1]:
        return [f"{match[0].reference} was made on {long_date(match[1])} (its validation date), "
                f"not {long_date(made_on)}"]
    return []


@guard
def within_disposal_consent(ctx: ActionContext, params) -> list[str]:
    """LGA 1972 s123(2) and (7); the General Disposal Consents (England) and (Wales) 2003."""
    return disposal.consent_failures(ctx.workflow.nation, ctx.data,
                                     params["general_consent_limit"],
                                     params["short_tenancy_years"])
