"""A workflow definition: the YAML in ``workflows/`` read into plain immutable objects."""
from dataclasses import dataclass, field
from datetime import date

from .calendar import Period, WorkingCalendar
from .fields import FIELD_TYPES, Field, Option
from .notifications import Notifications, parse_notifications
from .parties import Party, parse_parties

ANY_OPEN_STATE = "*"  # in ``from``: every state that is not final

# The guards and effects that give an action its part in a process. Pages find "the action that
# sends the form" or "the decision" through these (see Action and Workflow), never by its name.
SENDS_FORM = "sections_complete"
NEEDS_FILES = "attachments_present"
DECIDES = "independent_decision"
SIGNS_PACK = "record_signature"
RECORDS_TERMS = "record_terms"
# Data fields those guards and effects read, so every action that plays the part declares them.
PACK_FINGERPRINT = "pack_sha256"  # may_sign_pack: the signer read the pack that is current
SIGNER_NAME = "full_name"  # may_sign_pack: the account's name, typed as a signature
SECOND_FACTOR = "code"  # may_sign_pack: council staff's two-factor code
SIGNATURE_FIELDS = (PACK_FINGERPRINT, SIGNER_NAME, SECOND_FACTOR)
REASONS = "reasons"  # why terms were set or changed: each change gives its own
# A role in ``roles`` besides the users' own: a member of a registered organisation other than the
# applicant, acting for it through ``services.interest`` (ACV: any community interest group may
# ask to be treated as a potential bidder, Localism Act 2011 s95(3)(a)).
OTHER_GROUP = "other_group"


class DefinitionError(ValueError):
    """A workflow file is invalid; the message names the file and the problem."""


@dataclass(frozen=True)
class State:
    name: str
    label: str
    applicant_label: str
    # What the public register of requests calls it (``public_label`` in the YAML; else ``label``).
    public_label: str = ""
    next_steps: str = ""
    whose_move: str = "nobody"
    final: bool = False
    editable: bool = False
    # Kept only for cases recorded in it before the workflow changed: nothing leads here any more,
    # and an action must lead out of it.
    retired: bool = False


@dataclass(frozen=True)
class Step:
    """A guard or an effect named in the YAML, with the parameters given there."""

    name: str
    params: object = None


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    dest: str | None  # None: the action records something and the state stays
    roles: tuple[str, ...]
    guards: tuple[Step, ...] = ()
    effects: tuple[Step, ...] = ()
    fields: tuple[Field, ...] = ()
    documents: tuple[str, ...] = ()
    confirm: str = ""  # a warning shown before an irreversible action
    description: str = ""

    @property
    def system(self) -> bool:
        return self.roles == ("system",)

    def guard(self, name: str) -> Step | None:
        return next((step for step in self.guards if step.name == name), None)

    def has_effect(self, name: str) -> bool:
        return any(step.name == name for step in self.effects)

    @property
    def sends_form(self) -> bool:
        """The applicant's way on from an editable stage: it needs the form complete."""
        return "applicant" in self.roles and bool(self.dest) and bool(self.guard(SENDS_FORM))

    @property
    def needed_attachments(self) -> tuple[str, ...]:
        """The kinds of file that must be uploaded before the action can be taken."""
        step = self.guard(NEEDS_FILES)
        return tuple(step.params or ()) if step else ()

    @property
    def decides(self) -> bool:
        """A decision: nobody who assessed or recommended the case may take it."""
        return bool(self.guard(DECIDES))

    @property
    def signs_pack(self) -> bool:
        return self.has_effect(SIGNS_PACK)

    @property
    def internal(self) -> bool:
        """Some of its data is for council staff only (the recommendation to the decision maker)."""
        return any(f.internal for f in self.fields)

    def terms_carried_over(self, terms: dict | None) -> dict:
        """The recorded terms an action that changes them starts from, without their reasons."""
        if not self.has_effect(RECORDS_TERMS):
            return {}
        return {name: value for name, value in (terms or {}).items() if name != REASONS}


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    fields: tuple[Field, ...]
    attachments: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class DeadlineRule:
    name: str
    label: str
    citation: str
    # action name -> the data field holding the start date, or None: the action's day
    started_by: dict
    period: Period | None = None
    fixed_field: str | None = None  # due on the date an actor gives in this field
    met_by: tuple[str, ...] = ()
    on_missed: str | None = None  # a system action the sweep takes once the deadline has passed
    window: bool = False  # a period that simply runs out (a right to act), not an obligation
    whose: str = "council"

    def due_date(self, start: date, data: dict, cal: WorkingCalendar) -> date:
        if self.fixed_field:
            return data[self.fixed_field]
        return self.period.due_date(start, cal)

    def describe(self, start: date, cal: WorkingCalendar) -> str:
        if self.fixed_field:
            return "the date the council set"  # the citation follows it on the rule
        return self.period.describe(start, cal)


@dataclass(frozen=True)
class Criterion:
    name: str
    label: str
    weight: int
    guidance: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    kind: str
    title: str
    to: str | None = None  # a party (``Workflow.parties``) it is addressed to; None: the applicant


@dataclass
class Workflow:
    key: str
    title: str
    legal_basis: str
    nation: str
    calendar: WorkingCalendar
    reference_prefix: str
    initial_state: str
    states: dict[str, State]
    actions: dict[str, Action]
    sections: tuple[Section, ...]
    deadlines: dict[str, DeadlineRule]
    criteria: tuple[Criterion, ...]
    pass_mark: int | None
    documents: dict[str, DocumentSpec]
    summary: str = ""
    parties: dict[str, Party] = field(default_factory=dict)
    assessment_states: tuple[str, ...] = ()  # where officers may record assessments
    representation_states: tuple[str, ...] = ()  # where third-party representations are recorded
    notifications: Notifications = field(default_factory=Notifications)  # who hears of what
    source_file: str = ""
    machine: object = field(default=None, repr=False)

    @property
    def form(self) -> tuple[Section, ...]:
        return self.sections

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    def actions_from(self, state: str) -> list[Action]:
        return [a for a in self.actions.values() if state in a.sources]

    def submission_action(self, state: str) -> Action | None:
        """The applicant's action that sends the form on from ``state``, if it has one."""
        return next((a for a in self.actions_from(state) if a.sends_form), None)

    def sections_needed_by(self, action: Action | None) -> tuple[Section, ...]:
        """The sections ``action`` needs complete, in form order (all of them if it names none)."""
        step = action.guard(SENDS_FORM) if action else None
        names = step.params if step else None
        if not names:
            return self.sections
        return tuple(s for s in self.sections if s.name in names)

    @property
    def recommendation(self) -> Action | None:
        """The officers' recommendation to the decision maker: the action with internal data.
        The document it issues is its report."""
        return next((a for a in self.actions.values() if a.internal), None)

    @property
    def required_attachments(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for s in self.sections for k in s.attachments))


def _require(mapping: dict, key: str, where: str):
    if not isinstance(mapping, dict) or key not in mapping:
        raise DefinitionError(f"{where}: missing '{key}'")
    return mapping[key]


def _steps(raw, where: str) -> tuple[Step, ...]:
    steps = []
    for item in raw or ():
        if isinstance(item, str):
            steps.append(Step(item))
        elif isinstance(item, dict) and len(item) == 1:
            (name, params), = item.items()
            steps.append(Step(name, params))
        else:
            raise DefinitionError(f"{where}: each entry is a name or {{name: parameters}}, "
                                  f"not {item!r}")
    return tuple(steps)


def parse_field(raw: dict, where: str) -> Field:
    name = _require(raw, "name", where)
    where = f"{where}: field '{name}'"
    ftype = raw.get("type", "text")
    if ftype not in FIELD_TYPES:
        raise DefinitionError(f"{where}: unknown type '{ftype}' (one of {', '.join(FIELD_TYPES)})")
    options = tuple(
        Option(str(o["value"]), o.get("label", str(o["value"]))) if isinstance(o, dict)
        else Option(str(o), str(o).replace("_", " ").capitalize())
        for o in raw.get("options", ())
    )
    if ftype == "choice" and not options:
        raise DefinitionError(f"{where}: a choice needs options")
    return Field(
        name=name,
        label=_require(raw, "label", where),
        type=ftype,
        required=bool(raw.get("required", False)),
        hint=raw.get("hint", ""),
        options=options,
        internal=bool(raw.get("internal", False)),
    )


def _sources(raw, states: dict, where: str) -> tuple[str, ...]:
    names = [raw] if isinstance(raw, str) else list(raw or ())
    if names == [ANY_OPEN_STATE]:
        return tuple(n for n, s in states.items() if not s.final)
    for name in names:
        if name not in states:
            raise DefinitionError(f"{where}: 'from' names unknown state '{name}'")
    if not names:
        raise DefinitionError(f"{where}: 'from' names no state")
    return tuple(names)


def parse_workflow(doc: dict, source_file: str, authority_nation: str,
                   local_holidays=(), not_observed=()) -> Workflow:
    where = source_file
    if not isinstance(doc, dict):
        raise DefinitionError(f"{where}: the file must be a mapping")
    key = _require(doc, "key", where)
    nation = doc.get("nation", "authority")
    nation = authority_nation if nation == "authority" else nation
    try:
        cal = WorkingCalendar(nation, tuple(local_holidays), tuple(not_observed))
    except ValueError as exc:
        raise DefinitionError(f"{where}: {exc}") from None

    states = {}
    for name, raw in (_require(doc, "states", where) or {}).items():
        raw = raw or {}
        states[name] = State(
            name=name,
            label=_require(raw, "label", f"{where}: state '{name}'"),
            applicant_label=raw.get("applicant_label", raw["label"]),
            public_label=raw.get("public_label", raw["label"]),
            next_steps=raw.get("next_steps", ""),
            whose_move=raw.get("whose_move", "nobody"),
            final=bool(raw.get("final", False)),
            editable=bool(raw.get("editable", False)),
            retired=bool(raw.get("retired", False)),
        )
    initial = _require(doc, "initial_state", where)
    if initial not in states:
        raise DefinitionError(f"{where}: initial_state '{initial}' is not a declared state")

    actions = {}
    for name, raw in (_require(doc, "actions", where) or {}).items():
        at = f"{where}: action '{name}'"
        dest = raw.get("to")
        if dest is not None and dest not in states:
            raise DefinitionError(f"{at}: 'to' names unknown state '{dest}'")
        actions[name] = Action(
            name=name,
            label=_require(raw, "label", at),
            sources=_sources(raw.get("from"), states, at),
            dest=dest,
            roles=tuple(_require(raw, "roles", at)),
            guards=_steps(raw.get("guards"), f"{at}: guards"),
            effects=_steps(raw.get("effects"), f"{at}: effects"),
            fields=tuple(parse_field(f, at) for f in raw.get("fields", ())),
            documents=tuple(raw.get("documents", ())),
            confirm=raw.get("confirm", ""),
            description=raw.get("description", ""),
        )

    sections = tuple(
        Section(
            name=_require(s, "name", f"{where}: form"),
            title=_require(s, "title", f"{where}: form section '{s.get('name')}'"),
            fields=tuple(parse_field(f, f"{where}: form section '{s['name']}'")
                         for f in s.get("fields", ())),
            attachments=tuple(s.get("attachments", ())),
            description=s.get("description", ""),
        )
        for s in (doc.get("form") or {}).get("sections", ())
    )

    deadlines = {}
    for name, raw in (doc.get("deadlines") or {}).items():
        at = f"{where}: deadline '{name}'"
        started_by = raw.get("started_by")
        if isinstance(started_by, (str, list)):
            started_by = {a: None for a in ([started_by] if isinstance(started_by, str)
                                            else started_by)}
        if not started_by:
            raise DefinitionError(f"{at}: 'started_by' names no action")
        period = None
        if "fixed_field" not in raw:
            try:
                period = Period(int(_require(raw, "length", at)), _require(raw, "unit", at),
                                raw.get("counting", "beginning_with"),
                                bool(raw.get("next_working_day", False)))
            except (TypeError, ValueError) as exc:
                raise DefinitionError(f"{at}: {exc}") from None
        deadlines[name] = DeadlineRule(
            name=name,
            label=_require(raw, "label", at),
            citation=_require(raw, "citation", at),
            started_by=dict(started_by),
            period=period,
            fixed_field=raw.get("fixed_field"),
            met_by=tuple(raw.get("met_by", ())),
            on_missed=raw.get("on_missed"),
            window=bool(raw.get("window", False)),
            whose=raw.get("whose", "council"),
        )

    criteria = tuple(
        Criterion(
            name=_require(c, "name", f"{where}: criteria"),
            label=_require(c, "label", f"{where}: criterion '{c.get('name')}'"),
            weight=int(c.get("weight", 0)),
            guidance=c.get("guidance", ""),
        )
        for c in doc.get("criteria", ())
    )
    documents = {
        kind: DocumentSpec(kind, _require(raw, "title", f"{where}: document '{kind}'"),
                           raw.get("to"))
        for kind, raw in (doc.get("documents") or {}).items()
    }
    try:
        parties = parse_parties(doc.get("parties"), where)
        notifications = parse_notifications(doc.get("notifications"), where, documents, deadlines)
    except ValueError as exc:
        raise DefinitionError(str(exc)) from None
    return Workflow(
        key=key,
        title=_require(doc, "title", where),
        legal_basis=_require(doc, "legal_basis", where),
        summary=doc.get("summary", ""),
        nation=nation,
        calendar=cal,
        reference_prefix=_require(doc, "reference_prefix", where),
        initial_state=initial,
        states=states,
        actions=actions,
        sections=sections,
        deadlines=deadlines,
        criteria=criteria,
        pass_mark=doc.get("pass_mark"),
        documents=documents,
        parties=parties,
        notifications=notifications,
        assessment_states=_state_list(doc.get("assessment_states"), states,
                                      f"{where}: assessment_states"),
        representation_states=_state_list(doc.get("representation_states"), states,
                                          f"{where}: representation_states"),
        source_file=source_file,
    )


def _state_list(raw, states: dict, where: str) -> tuple[str, ...]:
    names = tuple(raw or ())
    for name in names:
        if name not in states:
            raise DefinitionError(f"{where}: unknown state '{name}'")
    return names
