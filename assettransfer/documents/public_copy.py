"""The published copy of a letter: the same letter, with the personal data of individuals left out.

The services decide which kinds are published this way and which form answers are public
(``services.public``, handed in as a ``CopyPolicy``); this module decides what the copy's
template sees. It is the letter's context with every fact about a person taken away rather than
blanked: the addressee is the organisation (or, for a letter to a party such as an owner, who
may be a person, the party's role), no party is named, the letter is signed by the team rather
than the officer, assessments (which name officers) are left out, representations and
signatures keep their dates but not who made them, and rows are read through ``FieldsOnly``
views, so a template that reaches for anything else (the lead contact, an address) fails to
render, in the action's transaction, instead of publishing it.

What the council writes in free text (its reasons, terms) is printed as written: the officer
writing a decision that will be published must not name individuals in it.
"""

from dataclasses import dataclass, field

from .context import Addressee, flatten_answers


class FieldsOnly:
    """A row with only ``fields`` readable: reading another raises ``AttributeError`` (a web
    template then shows nothing; a letter, whose templates are strict, fails to render)."""

    __slots__ = ("_row", "_fields")

    def __init__(self, row, fields: tuple[str, ...]):
        object.__setattr__(self, "_row", row)
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, name):
        if name in self._fields:
            return getattr(self._row, name)
        raise AttributeError(f"{name!r} is not public")


@dataclass(frozen=True)
class CopyPolicy:
    """What the services allow to be published of one application's letters."""

    kinds: frozenset[str] = frozenset()  # the kinds whose letters get a published copy
    answers: frozenset[str] = field(default_factory=frozenset)  # public answers, section.field


NO_COPIES = CopyPolicy()


def _without_parties(values: dict, workflow) -> dict:
    """``values`` without the names and addresses of the workflow's parties (owners, occupiers,
    claimants: often people) that actions record."""
    personal = {name for party in (getattr(workflow, "parties", None) or {}).values()
                for name in (party.name_field, party.address_field)}
    return {key: value for key, value in values.items() if key not in personal}


def _public_answers(answers: dict | None, listed: frozenset[str]) -> dict:
    kept = {section: {name: value for name, value in fields.items()
                      if f"{section}.{name}" in listed}
            for section, fields in (answers or {}).items() if isinstance(fields, dict)}
    return flatten_answers(kept)


def public_copy_context(context: dict, policy: CopyPolicy) -> dict:
    """The context of a letter's published copy, from the letter's own ``context``."""
    workflow = context["workflow"]
    organisation = context["organisation"]
    party = context.get("party")
    if party is not None:  # a letter to an owner, an occupier, a claimant: maybe a person
        addressee = Addressee(party.label, party.label, [], named=False)
    else:
        addressee = Addressee(organisation.name, organisation.name, [])
    parties = {key: None if given is None
               else Addressee(workflow.parties[key].label, workflow.parties[key].label, [],
                              named=False)
               for key, given in context["parties"].items()}
    return {
        **context,
        "application": FieldsOnly(context["application"], ("id", "reference")),
        "organisation": FieldsOnly(organisation, ("id", "name")),
        "addressee": addressee,
        "parties": parties,
        "event": None,  # signed by the team, not by the officer who took the action
        "data": _without_parties(context["data"], workflow),
        "transfer": _without_parties(context["transfer"], workflow),
        "answers": _public_answers(context["application"].answers, policy.answers),
        "actions_taken": {action: _without_parties(payload, workflow)
                          for action, payload in context["actions_taken"].items()},
        "representations": [FieldsOnly(row, ("id", "received_on"))
                            for row in context["representations"]],
        "signatures": [FieldsOnly(row, ("id", "role", "signed_at"))
                       for row in context["signatures"]],
        # Assessments are the council's own notes (services.public); the scores name officers.
        "assessments": [],
        "scores": None,
    }
