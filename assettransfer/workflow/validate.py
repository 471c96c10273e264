"""Checks a workflow definition is whole before the app starts with it."""
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError, nodes

from ..models import AttachmentKind, Role
from .definition import (
    DECIDES,
    NEEDS_FILES,
    OTHER_GROUP,
    SENDS_FORM,
    SIGNATURE_FIELDS,
    SIGNS_PACK,
    DefinitionError,
    Workflow,
)
from .notifications import problems as notification_problems
from .steps import StepFunctions

ROLES = {r.value for r in Role} | {"system", OTHER_GROUP}
ATTACHMENT_KINDS = {k.value for k in AttachmentKind}
LEGAL_PACK = "legal_pack"  # built by the documents service, not from a template
# How a letter template names a deadline (documents/letters.py and letter.html): ``due("name")``,
# ``deadlines.name`` or ``deadlines.get("name")``, and the list ``deadline_names``.
DUE, DEADLINES, DEADLINE_NAMES = "due", "deadlines", "deadline_names"


def problems(workflow: Workflow, templates_dir: Path, steps: StepFunctions) -> list[str]:
    """Every problem found, each in words that name the file and the thing at fault."""
    found = []
    where = workflow.source_file
    for action in workflow.actions.values():
        at = f"{where}: action '{action.name}'"
        found += [f"{at}: unknown role '{r}'" for r in action.roles if r not in ROLES]
        found += [f"{at}: unknown guard '{g.name}'" for g in action.guards
                  if g.name not in steps.guards]
        found += [f"{at}: unknown effect '{e.name}'" for e in action.effects
                  if e.name not in steps.effects]
        for kind in action.documents:
            if kind not in workflow.documents:
                found.append(f"{at}: document '{kind}' is not declared under 'documents'")
        for source in action.sources:
            # Nothing leaves a final state; an action that only records (``to: null``) may still
            # be taken there: a claim the law allows after the process ends.
            if workflow.states[source].final and action.dest is not None:
                found.append(f"{at}: leaves final state '{source}'")
    for kind in workflow.documents:
        template = templates_dir / "documents" / workflow.key / f"{kind}.html"
        if kind != LEGAL_PACK and not template.is_file():
            found.append(f"{where}: document '{kind}' has no template {template}")
    for section in workflow.sections:
        found += [
            f"{where}: form section '{section.name}': unknown attachment kind '{k}'"
            for k in section.attachments if k not in ATTACHMENT_KINDS
        ]
    found += _deadline_problems(workflow)
    found += _party_problems(workflow)
    found += notification_problems(workflow, templates_dir)
    found += _template_problems(workflow, templates_dir)
    found += _part_problems(workflow)
    found += _graph_problems(workflow)
    if workflow.pass_mark is not None and not 0 <= workflow.pass_mark <= 100:
        found.append(f"{where}: pass_mark must be a percentage from 0 to 100")
    return found


def _deadline_problems(workflow: Workflow) -> list[str]:
    found = []
    for rule in workflow.deadlines.values():
        at = f"{workflow.source_file}: deadline '{rule.name}'"
        for action, start_field in rule.started_by.items():
            if action not in workflow.actions:
                found.append(f"{at}: started by unknown action '{action}'")
            elif (start_field
                  and start_field not in {f.name for f in workflow.actions[action].fields}):
                found.append(f"{at}: action '{action}' has no field '{start_field}'")
        found += [f"{at}: met by unknown action '{a}'" for a in rule.met_by
                  if a not in workflow.actions]
        if rule.on_missed and rule.on_missed not in workflow.actions:
            found.append(f"{at}: on_missed names unknown action '{rule.on_missed}'")
        elif rule.on_missed and not workflow.actions[rule.on_missed].system:
            found.append(f"{at}: on_missed action '{rule.on_missed}' "
                         "must be for role 'system' only")
    return found


def _party_problems(workflow: Workflow) -> list[str]:
    """Each letter to a party names a declared party, whose details some field records."""
    where = workflow.source_file
    found = [f"{where}: document '{spec.kind}': 'to' names unknown party '{spec.to}'"
             for spec in workflow.documents.values()
             if spec.to and spec.to not in workflow.parties]
    fields = {f.name for section in workflow.sections for f in section.fields}
    fields |= {f.name for action in workflow.actions.values() for f in action.fields}
    for party in workflow.parties.values():
        named = (party.name_field, party.address_field, party.unless)
        found += [f"{where}: party '{party.name}': no form or action field '{name}'"
                  for name in named if name and name not in fields]
    return found


def _part_problems(workflow: Workflow) -> list[str]:
    """Pages find the part an action plays (it sends the form, it is the recommendation or a
    decision, it signs the pack) from its guards, effects and fields: each must read one way."""
    found, where = [], workflow.source_file
    for name, state in workflow.states.items():
        senders = [a.name for a in workflow.actions_from(name) if a.sends_form]
        if len(senders) > 1:
            found.append(f"{where}: state '{name}': more than one applicant action sends the form "
                         f"(guard '{SENDS_FORM}'): {', '.join(senders)}")
        elif state.editable and not senders:
            found.append(f"{where}: editable state '{name}': no applicant action sends the form "
                         f"on (guard '{SENDS_FORM}')")
    internal = [a.name for a in workflow.actions.values() if a.internal]
    if len(internal) > 1:
        found.append(f"{where}: only the recommendation to the decision maker has internal "
                     f"fields, but {', '.join(internal)} each do")
    sections = {s.name for s in workflow.sections}
    for action in workflow.actions.values():
        at = f"{where}: action '{action.name}'"
        sends = action.guard(SENDS_FORM)
        found += [f"{at}: guard '{SENDS_FORM}' names unknown form section '{n}'"
                  for n in (sends.params if sends and sends.params else ()) if n not in sections]
        found += [f"{at}: guard '{NEEDS_FILES}' names unknown attachment kind '{k}'"
                  for k in action.needed_attachments if k not in ATTACHMENT_KINDS]
        if action.internal and len(action.documents) > 1:
            found.append(f"{at}: the recommendation issues one report, not "
                         f"{len(action.documents)} documents")
        if Role.DECISION_MAKER.value in action.roles and not action.decides:
            found.append(f"{at}: a decision maker's action needs the guard '{DECIDES}'")
        if action.signs_pack:
            names = {f.name for f in action.fields}
            found += [f"{at}: effect '{SIGNS_PACK}' needs the field '{n}'"
                      for n in SIGNATURE_FIELDS if n not in names]
    return found


def _graph_problems(workflow: Workflow) -> list[str]:
    found, where = [], workflow.source_file
    exits = {name: set() for name in workflow.states}
    for action in workflow.actions.values():
        for source in action.sources:
            if action.dest:
                exits[source].add(action.dest)
    reached, queue = {workflow.initial_state}, deque([workflow.initial_state])
    while queue:
        for nxt in exits[queue.popleft()]:
            if nxt not in reached:
                reached.add(nxt)
                queue.append(nxt)
    for name, state in workflow.states.items():
        if state.retired and name in reached:
            found.append(f"{where}: state '{name}' is retired, but an action still leads to it")
        if name not in reached and not state.retired:
            found.append(f"{where}: state '{name}' cannot be reached "
                         f"from '{workflow.initial_state}'")
        if not state.final and not exits[name] - {name}:
            found.append(f"{where}: state '{name}' is not final but no action leaves it")
    return found


def check(workflow: Workflow, templates_dir: Path, steps: StepFunctions) -> None:
    found = problems(workflow, templates_dir, steps)
    if found:
        raise DefinitionError("\n".join(found))


def _template_problems(workflow: Workflow, templates_dir: Path) -> list[str]:
    """A deadline a letter asks for that the workflow does not define would be left off the
    letter without a word: every one must be defined."""
    found, env = [], Environment()
    for path in sorted((templates_dir / "documents" / workflow.key).glob("*.html")):
        at = f"{workflow.source_file}: template {workflow.key}/{path.name}"
        try:
            tree = env.parse(path.read_text(encoding="utf-8"))
        except TemplateSyntaxError as exc:
            found.append(f"{at}: line {exc.lineno}: {exc.message}")
            continue
        found += [f"{at} asks for deadline '{name}', which the workflow does not define"
                  for name in sorted(set(deadlines_asked(tree))) if name not in workflow.deadlines]
    return found


def deadlines_asked(tree: nodes.Template) -> Iterator[str]:
    """The names of the deadlines a parsed letter template asks for."""
    for call in tree.find_all(nodes.Call):
        target, first = call.node, call.args[0] if call.args else None
        by_due = isinstance(target, nodes.Name) and target.name == DUE
        by_get = (isinstance(target, nodes.Getattr) and target.attr == "get"
                  and isinstance(target.node, nodes.Name) and target.node.name == DEADLINES)
        if (by_due or by_get) and isinstance(first, nodes.Const):
            yield first.value
    for attribute in tree.find_all(nodes.Getattr):
        if isinstance(attribute.node, nodes.Name) and attribute.node.name == DEADLINES \
                and attribute.attr not in ("get", "items", "values", "keys"):
            yield attribute.attr
    for assign in tree.find_all(nodes.Assign):
        if isinstance(assign.target, nodes.Name) and assign.target.name == DEADLINE_NAMES \
                and isinstance(assign.node, nodes.List):
            yield from (item.value for item in assign.node.items
                        if isinstance(item, nodes.Const))
