"""Who hears of what: the messages an action, a representation, a deadline coming up and the
week's work send, to whom, written in the transaction of what they tell of (``queue_message``).

Who is sent what after an action is the workflow's table (``workflow.notifications``). Each
message has a key that makes it once: ``event:<event id>:<recipient>:<channel>:<kind>`` (a
letter to a party adds the document's kind), ``reminder:<deadline id>:<days>:<recipient>``,
``digest:<ISO week>:<user id>``.
"""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from ..documents.context import party_addressees
from ..extensions import db
from ..models import (
    Application,
    Asset,
    Channel,
    Deadline,
    Event,
    Job,
    Message,
    Organisation,
    Representation,
    RepresentationSource,
    Role,
    User,
)
from ..wording import long_date
from ..workflow import workflows
from ..workflow.context import ActionContext
from ..workflow.notifications import (
    CASE_OFFICER,
    COUNCIL_TEAM,
    DEADLINE_REMINDER,
    GENERAL_KINDS,
    GROUP,
    LEAD_CONTACT,
    REPRESENTATION_RECEIVED,
    STAGE_CHANGED,
    WEEKLY_DIGEST,
    Notice,
    notices_for,
)
from .dashboard import due_soon
from .messages import queue_message
from .queues import SOONEST_FIRST, overdue_on

COUNCIL_TEAM_ROLES = (Role.OFFICER,)  # "every officer": those who work the cases
DIGEST_ROLES = (Role.OFFICER, Role.DECISION_MAKER)
# Which deadlines remind whom, by the rule's ``whose``: the group, or the case officer.
GROUP_DEADLINES = ("applicant",)
COUNCIL_DEADLINES = ("council", "officer", "decision_maker", "legal")

# The kinds a person may turn off, in their words (the preferences page): a group's members,
# then council staff. A statutory notice or reminder is sent whatever they choose.
GROUP_KINDS = {
    "stage_changed": "Your request has moved to a new stage",
    "document_issued": "The council has issued a letter about your request",
    "decision_made": "The council's decision on your request",
    "information_requested": "The council asks your group for more information",
    "legal_pack_to_sign": "The legal pack is ready to sign",
    DEADLINE_REMINDER: "Reminders of your group's deadlines",
}
COUNCIL_KINDS = {
    "submission_received": "A group has sent a request, or taken a step on its case",
    "information_provided": "A group has sent the information asked for",
    "application_withdrawn": "A group has withdrawn its request",
    REPRESENTATION_RECEIVED: "A representation was recorded on your case",
    DEADLINE_REMINDER: "Reminders of the council's deadlines",
    WEEKLY_DIGEST: "The weekly summary of new, overdue and due cases",
}


@dataclass(frozen=True)
class Recipient:
    """One person or party to write to: ``ref`` is the user's id or the party's name."""

    ref: str
    name: str
    address: str
    council: bool
    user: User | None = None
    channel: Channel = Channel.EMAIL


@dataclass
class _Letter:
    """What one recipient is sent of one event: the kinds that apply, the most specific kept."""

    recipient: Recipient
    kinds: list[Notice] = field(default_factory=list)


def service_url(endpoint: str, **values) -> str:
    """The absolute address of a page at ``SERVICE_URL``, whatever request (if any) is running."""
    base = urlsplit(current_app.config["SERVICE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def case_url(application: Application, council: bool) -> str:
    if council:
        return service_url("council.case.show", application_id=application.id)
    return service_url("applicant.show", application_id=application.id)


def _person(user: User) -> Recipient:
    return Recipient(str(user.id), user.name, user.email, user.is_council, user)


def _council_team() -> list[Recipient]:
    return [_person(u) for u in db.session.scalars(
        select(User).where(User.role.in_(COUNCIL_TEAM_ROLES), User.active.is_(True))
        .order_by(User.id))]


def case_officer(application: Application) -> list[Recipient]:
    """The officer who took the latest officer action on the case, else every officer."""
    user = db.session.scalar(
        select(User).join(Event, Event.actor_id == User.id)
        .where(Event.application_id == application.id, Event.actor_role == Role.OFFICER.value,
               User.active.is_(True))
        .order_by(Event.seq.desc()).limit(1))
    return [_person(user)] if user is not None else _council_team()


def group_of(application: Application) -> list[Recipient]:
    return [_person(m.user) for m in sorted(application.organisation.memberships,
                                            key=lambda m: m.user_id) if m.user.active]


def _recipients(application: Application, workflow, to: str, parties: dict) -> list[Recipient]:
    if to == GROUP:
        return group_of(application)
    if to == LEAD_CONTACT:
        lead = application.organisation.lead_contact
        return [_person(lead)] if lead is not None and lead.active else []
    if to == CASE_OFFICER:
        return case_officer(application)
    if to == COUNCIL_TEAM:
        return _council_team()
    addressee = parties.get(to)
    if addressee is None:  # a party who gets no letter of their own (``unless``)
        return []
    return [Recipient(to, addressee.name, "\n".join(addressee.address_lines), False,
                      channel=Channel.LETTER)]


def _deadlines_started(workflow, event: Event) -> list[dict]:
    rows = db.session.scalars(select(Deadline).where(Deadline.event_id == event.id,
                                                     Deadline.met_at.is_(None)))
    return [{"label": workflow.deadlines[r.name].label if r.name in workflow.deadlines else r.name,
             "due": long_date(r.due_on)} for r in rows]


def _base_context(application: Application, workflow, recipient: Recipient) -> dict:
    state = workflow.states[application.state]
    return {
        "to_name": recipient.name, "application": application, "asset": application.asset,
        "workflow": workflow, "authority": current_app.config["AUTHORITY_NAME"],
        "stage": state.label if recipient.council else state.applicant_label,
        "next_steps": state.next_steps, "url": case_url(application, recipient.council),
    }


def after_action(ctx: ActionContext, orders: list[Job]) -> None:
    """The messages ``ctx``'s action sends (its workflow's table), in its transaction.
    ``orders`` are the jobs that render the letters it issued: a letter by post carries one."""
    application, workflow, event = ctx.application, ctx.workflow, ctx.event
    moved = event.from_state != event.to_state
    notices = [n for n in notices_for(workflow, ctx.action) if moved or n.kind != STAGE_CHANGED]
    if not notices:
        return
    parties = party_addressees(application, workflow) if workflow.parties else {}
    ordered = {key.split(":")[2]: key for key in (job.key for job in orders)}
    letters: dict[tuple, _Letter] = {}
    for notice in notices:
        if notice.document and notice.document not in ordered:
            continue  # the party gets no letter of its own
        for recipient in _recipients(application, workflow, notice.to, parties):
            slot = (recipient.ref, recipient.channel, notice.document)
            letters.setdefault(slot, _Letter(recipient)).kinds.append(notice)
    to_group = [] if ctx.action.internal else [  # the recommendation's report is for staff
        k for k in ctx.action.documents if k in ordered and not workflow.documents[k].to]
    issued = [workflow.documents[k].title for k in to_group]
    # A message that carries a letter the law requires cannot be turned off.
    statutory_letters = any(k in workflow.notifications.statutory_documents for k in to_group)
    started = _deadlines_started(workflow, event)
    for (ref, channel, document), letter in letters.items():
        notice = _most_specific(letter.kinds)
        recipient = letter.recipient
        context = {**_base_context(application, workflow, recipient),
                   "actor": event.actor_name, "action": ctx.action.label,
                   "data": event.payload, "comment": event.comment, "deadlines": started,
                   "letters": [workflow.documents[document].title] if document else issued,
                   "by_post": channel is Channel.LETTER}
        key = f"event:{event.id}:{ref}:{channel.value}:{notice.kind}"
        queue_message(
            notice.kind, key=key + (f":{document}" if document else ""),
            to_name=recipient.name, to_address=recipient.address, context=context,
            channel=channel, user=recipient.user, application=application,
            statutory=notice.statutory or (statutory_letters and not recipient.council),
            document_key=ordered.get(document) if document else None)


def _most_specific(notices: list[Notice]) -> Notice:
    """A kind of the action's own stands in for the general ones (it says the new stage and
    names the letters); of the general ones, the later in ``GENERAL_KINDS``."""
    rank = {kind: n for n, kind in enumerate(GENERAL_KINDS)}
    return max(notices, key=lambda n: (rank.get(n.kind, len(GENERAL_KINDS)), n.statutory))


def representation_received(application: Application, representation: Representation,
                            event: Event) -> None:
    """The case officer hears of a representation recorded on the case, or made online."""
    workflow = workflows()[application.workflow]
    for recipient in case_officer(application):
        queue_message(
            REPRESENTATION_RECEIVED,
            key=f"event:{event.id}:{recipient.ref}:email:{REPRESENTATION_RECEIVED}",
            to_name=recipient.name, to_address=recipient.address, user=recipient.user,
            application=application,
            context={**_base_context(application, workflow, recipient),
                     "actor": event.actor_name, "from_name": representation.from_name,
                     "received_on": long_date(representation.received_on),
                     "online": representation.source is RepresentationSource.ONLINE})


def reminder_days(config) -> tuple[int, ...]:
    return tuple(sorted({int(d) for d in config["REMINDER_WORKING_DAYS"]}))


def working_days_before(due: date, days: int, cal) -> date:
    """The day ``days`` working days before ``due`` (``due`` itself for 0)."""
    day, counted = due, 0
    while counted < days:
        day -= timedelta(days=1)
        counted += cal.is_working_day(day)
    return day


def reminder_due(row: Deadline, today: date, points: tuple[int, ...], cal) -> int | None:
    """The reminder point (working days before) whose day has come for ``row``: the nearest one
    passed, not before the deadline started; None when none has (or the deadline is past)."""
    if today > row.due_on:
        return None
    for days in points:  # nearest the due date first
        on = working_days_before(row.due_on, days, cal)
        if on <= today:
            return days if on >= row.starts_on else None
    return None


def _when(days: int) -> str:
    if days == 0:
        return "is due today"
    return f"is due in {days} working day{'s' if days != 1 else ''}"


def send_reminders(today: date) -> dict[str, int]:
    """Remind whoever must act of each open deadline at the configured points; each reminder
    once. Returns how many were written for each case (reference), in the caller's
    transaction."""
    points = reminder_days(current_app.config)
    written: dict[str, int] = {}
    rows = db.session.scalars(
        select(Deadline).where(Deadline.met_at.is_(None), Deadline.superseded_at.is_(None),
                               Deadline.due_on >= today)
        .order_by(Deadline.due_on, Deadline.id))
    for row in rows:
        application = db.session.get(Application, row.application_id)
        workflow = workflows().get(application.workflow)
        rule = workflow and workflow.deadlines.get(row.name)
        if rule is None or workflow.states[application.state].final:
            continue
        days = reminder_due(row, today, points, workflow.calendar)
        if days is None:
            continue
        if rule.whose in GROUP_DEADLINES:
            recipients = group_of(application)
        elif rule.whose in COUNCIL_DEADLINES:
            recipients = case_officer(application)
        else:
            continue
        statutory = rule.name in workflow.notifications.statutory_deadlines
        for recipient in recipients:
            context = {**_base_context(application, workflow, recipient),
                       "deadline": rule.label, "due": long_date(row.due_on), "rule": row.rule,
                       "when": _when(days)}
            if recipient.council:
                context["next_steps"] = f"take the step that meets it on the case ({rule.label})."
            key = f"reminder:{row.id}:{days}:{recipient.ref}"
            if _written(key):
                continue
            message = queue_message(
                DEADLINE_REMINDER, key=key,
                to_name=recipient.name, to_address=recipient.address, context=context,
                user=recipient.user, application=application, statutory=statutory)
            if message is not None:
                written[application.reference] = written.get(application.reference, 0) + 1
    return written


def _written(key: str) -> bool:
    return db.session.scalar(select(Message.id).where(Message.key == key)) is not None


def _digest_rows(where, today: date, limit: int = 50) -> list[dict]:
    rows = db.session.execute(
        select(Application.id, Application.reference, Application.next_due_on,
               Asset.name, Organisation.name)
        .join(Application.asset).join(Application.organisation)
        .where(where).order_by(*SOONEST_FIRST).limit(limit))
    return [{"reference": ref, "asset_name": asset, "organisation_name": org,
             "due": long_date(due) if due else "", "url": service_url(
                 "council.case.show", application_id=id_)}
            for id_, ref, due, asset, org in rows]


def send_digest(today: date) -> int:
    """The weekly summary to each officer and decision maker: new requests of the last 7 days,
    overdue cases and those due in the next 7. Returns how many were written."""
    since = datetime.combine(today - timedelta(days=7), time(), UTC)
    lists = {
        "new": _digest_rows(Application.submitted_at >= since, today),
        "overdue": _digest_rows(overdue_on(today), today),
        "due_soon": _digest_rows(due_soon(today, 7), today),
    }
    year, week, _ = today.isocalendar()
    written = 0
    for user in db.session.scalars(select(User).where(
            User.role.in_(DIGEST_ROLES), User.active.is_(True)).order_by(User.id)):
        key = f"digest:{year}-W{week:02d}:{user.id}"
        if _written(key):
            continue
        message = queue_message(
            WEEKLY_DIGEST, key=key, to_name=user.name,
            to_address=user.email, user=user,
            context={"to_name": user.name, "authority": current_app.config["AUTHORITY_NAME"],
                     "week_of": long_date(today), "dashboard_url": service_url(
                         "council.dashboard"), **lists})
        written += message is not None
    return written


def message_choices(user: User) -> dict[str, str]:
    """{kind: what it is} of the messages ``user`` may turn off."""
    return COUNCIL_KINDS if user.is_council else GROUP_KINDS


def choose_messages(user: User, wanted) -> None:
    """Keep the kinds in ``wanted`` on and turn the user's other choices off."""
    wanted = set(wanted)
    user.message_preferences = {kind: kind in wanted for kind in message_choices(user)}
    db.session.flush()
