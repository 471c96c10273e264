"""Who hears of what: the ``notifications`` section of a workflow file and the defaults every
workflow has.

    notifications:
      statutory_documents: all        # or a list of document kinds: letters the law requires
      statutory_deadlines: [decision]  # or all: reminders of them cannot be turned off
      send:
        - {actions: [request_information], to: [group], kind: information_requested}

Each action tells these recipients (``RECIPIENTS``, or a party from ``parties``) with a message
written from ``templates/messages/<kind>.txt``. One person gets one message of an action: a kind
of its own (a decision, a request for information) says what the general ones would
(``GENERAL_KINDS``: the new stage, the letters issued), so it stands in for them.
"""
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # definition.py reads the section with parse_notifications
    from .definition import Action, Workflow

GROUP, LEAD_CONTACT, CASE_OFFICER, COUNCIL_TEAM = "group", "lead_contact", "case_officer", \
    "council_team"
RECIPIENTS = (GROUP, LEAD_CONTACT, CASE_OFFICER, COUNCIL_TEAM)
ALL = "all"
APPLICANT = "applicant"  # the role of the group's members in ``Action.roles``

# The defaults (``Notice.kind``), most general first: a person sent a later kind of the same
# action is not also sent an earlier one.
STAGE_CHANGED = "stage_changed"
DOCUMENT_ISSUED = "document_issued"
SUBMISSION_RECEIVED = "submission_received"
GENERAL_KINDS = (STAGE_CHANGED, DOCUMENT_ISSUED, SUBMISSION_RECEIVED)
DECISION_MADE = "decision_made"
LEGAL_PACK_TO_SIGN = "legal_pack_to_sign"
REPRESENTATION_RECEIVED = "representation_received"
DEADLINE_REMINDER = "deadline_reminder"
WEEKLY_DIGEST = "weekly_digest"
ISSUES_LEGAL_PACK = "issue_legal_pack"  # the effect that issues the pack to sign
# Kinds sent other than after an action, so every kind the app writes has its template checked.
OTHER_KINDS = (REPRESENTATION_RECEIVED, DEADLINE_REMINDER, WEEKLY_DIGEST)


@dataclass(frozen=True)
class Notice:
    """``to`` (a recipient or a party) is sent ``kind`` after ``action``; ``document`` names the
    letter a party is sent (by post, the letter itself)."""

    action: str
    to: str
    kind: str
    document: str | None = None
    statutory: bool = False


@dataclass(frozen=True)
class Notifications:
    send: tuple[Notice, ...] = ()
    statutory_documents: frozenset[str] = frozenset()
    statutory_deadlines: frozenset[str] = frozenset()


def _names(raw, known, where: str, what: str) -> frozenset[str]:
    if raw == ALL:
        return frozenset(known)
    if not isinstance(raw, list):
        raise ValueError(f"{where}: '{what}' is '{ALL}' or a list")
    return frozenset(raw)


def parse_notifications(raw, source_file: str, documents, deadlines) -> Notifications:
    """The ``notifications`` section (names are checked by ``problems``); ValueError says what
    is malformed."""
    where = f"{source_file}: notifications"
    raw = raw or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a mapping")
    send = []
    for entry in raw.get("send") or ():
        if not isinstance(entry, dict) or not {"actions", "to", "kind"} <= entry.keys():
            raise ValueError(f"{where}: each entry of 'send' needs actions, to and kind, "
                             f"not {entry!r}")
        actions, recipients = entry["actions"], entry["to"]
        actions = [actions] if isinstance(actions, str) else list(actions)
        recipients = [recipients] if isinstance(recipients, str) else list(recipients)
        send += [Notice(action, to, str(entry["kind"]), statutory=bool(entry.get("statutory")))
                 for action in actions for to in recipients]
    return Notifications(
        send=tuple(send),
        statutory_documents=_names(raw.get("statutory_documents", []), documents,
                                   where, "statutory_documents"),
        statutory_deadlines=_names(raw.get("statutory_deadlines", []), deadlines,
                                   where, "statutory_deadlines"),
    )


def default_notices(workflow: "Workflow", action: "Action") -> list[Notice]:
    """What every workflow tells of an action: the group of a new stage, of each letter (a party
    the letter is to is sent the letter), of a decision and of a legal pack to sign; the case
    officer of each step the group takes that moves the case on (a request, a reply)."""
    notices = []
    if action.dest:
        notices.append(Notice(action.name, GROUP, STAGE_CHANGED))
    for kind in action.documents:
        spec = workflow.documents.get(kind)  # an undeclared one is validate.py's to name
        party = spec.to if spec else None
        if action.internal and not party:
            continue  # the recommendation's report is for the decision maker, not the group
        notices.append(Notice(action.name, party or GROUP, DOCUMENT_ISSUED,
                              document=kind if party else None, statutory=bool(party)))
    if action.decides:
        notices.append(Notice(action.name, GROUP, DECISION_MADE))
    if action.has_effect(ISSUES_LEGAL_PACK):
        notices.append(Notice(action.name, GROUP, LEGAL_PACK_TO_SIGN))
    if APPLICANT in action.roles and action.dest:
        notices.append(Notice(action.name, CASE_OFFICER, SUBMISSION_RECEIVED))
    return notices


def notices_for(workflow: "Workflow", action: "Action") -> list[Notice]:
    """Every notice of ``action``: the defaults, then the workflow's own."""
    own = [n for n in workflow.notifications.send if n.action == action.name]
    return default_notices(workflow, action) + own


def kinds_of(workflow: "Workflow") -> set[str]:
    """Every message kind the workflow's actions may send."""
    return {n.kind for action in workflow.actions.values() for n in notices_for(workflow, action)}


def problems(workflow: "Workflow", templates_dir) -> list[str]:
    """Unknown actions and recipients, and kinds of message with no template."""
    where = f"{workflow.source_file}: notifications"
    table = workflow.notifications
    found = [f"{where}: unknown action '{n.action}'" for n in table.send
             if n.action not in workflow.actions]
    found += [f"{where}: unknown recipient '{n.to}' (one of {', '.join(RECIPIENTS)} or a "
              f"party under 'parties')" for n in table.send
              if n.to not in RECIPIENTS and n.to not in workflow.parties]
    found += [f"{where}: statutory_documents names unknown document '{k}'"
              for k in sorted(table.statutory_documents - set(workflow.documents))]
    found += [f"{where}: statutory_deadlines names unknown deadline '{k}'"
              for k in sorted(table.statutory_deadlines - set(workflow.deadlines))]
    kinds = {n.kind for n in table.send} | set(OTHER_KINDS)
    kinds |= {n.kind for a in workflow.actions.values() for n in default_notices(workflow, a)}
    found += [f"{where}: message kind '{kind}' has no template messages/{kind}.txt"
              for kind in sorted(kinds)
              if not (templates_dir / "messages" / f"{kind}.txt").is_file()]
    return found
