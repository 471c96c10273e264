"""Loads ``workflows/*.yaml`` once into validated definitions, each with one shared machine."""
import copy
from functools import lru_cache
from pathlib import Path

import yaml
from transitions import Machine

from .calendar import configured_days
from .definition import DefinitionError, Workflow, parse_workflow
from .steps import StepFunctions
from .validate import check


def _build_machine(workflow: Workflow, steps: StepFunctions) -> Machine:
    """One ``transitions`` machine per workflow, bound to no model: rows are passed per trigger."""

    def guards_hold(event) -> bool:
        """The machine's one condition: run every guard of the action, keep all failures."""
        ctx = event.kwargs["ctx"]
        ctx.failures = steps.failures(ctx)
        return not ctx.failures

    transitions = [
        {"trigger": action.name, "source": list(action.sources), "dest": action.dest,
         "conditions": [guards_hold]}
        for action in workflow.actions.values()
    ]
    return Machine(
        model=None, states=list(workflow.states), transitions=transitions,
        initial=workflow.initial_state, auto_transitions=False, send_event=True,
    )


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=64)
def _parse_yaml(path: Path, mtime_ns: int, size: int):
    """Parsed once per version of the file: every app made in a process (tests) shares it."""
    return yaml.load(path.read_text(), Loader=_Loader)


def load_file(path: Path, nation: str, local_holidays, templates_dir: Path,
              steps: StepFunctions, not_observed=()) -> Workflow:
    stat = path.stat()
    try:
        doc = copy.deepcopy(_parse_yaml(path, stat.st_mtime_ns, stat.st_size))
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path.name}: not valid YAML: {exc}") from None
    workflow = parse_workflow(doc, path.name, nation, local_holidays, not_observed)
    check(workflow, templates_dir, steps)
    workflow.machine = _build_machine(workflow, steps)
    return workflow


class WorkflowRegistry:
    """The workflows in the folder; ``offered`` are the ones this authority runs."""

    def __init__(self, workflows: dict[str, Workflow], offered: list[str]):
        self._workflows = workflows
        self.offered = offered

    @classmethod
    def load(cls, folder: Path, offered: list[str], nation: str, local_holidays,
             templates_dir: Path, steps: StepFunctions,
             not_observed=()) -> "WorkflowRegistry":
        """``local_holidays`` and ``not_observed`` are the authority's calendar settings
        (``LOCAL_HOLIDAYS``, ``HOLIDAYS_NOT_OBSERVED``), as ``calendar.configured_days`` reads
        them."""
        try:
            local = configured_days(local_holidays, "LOCAL_HOLIDAYS")
            removed = configured_days(not_observed, "HOLIDAYS_NOT_OBSERVED")
        except ValueError as exc:
            raise DefinitionError(str(exc)) from None
        workflows, errors = {}, []
        for path in sorted(Path(folder).glob("*.yaml")):
            try:
                workflow = load_file(path, nation, local, templates_dir, steps, removed)
            except DefinitionError as exc:
                errors.append(str(exc))
                continue
            if workflow.key in workflows:
                errors.append(f"{path.name}: key '{workflow.key}' is used by another file")
            workflows[workflow.key] = workflow
        errors += [f"WORKFLOWS names '{key}', which no file in {folder} defines"
                   for key in offered if key not in workflows and not errors]
        if errors:
            raise DefinitionError("\n".join(errors))
        return cls(workflows, list(offered))

    def __getitem__(self, key: str) -> Workflow:
        return self._workflows[key]

    def get(self, key: str) -> Workflow | None:
        return self._workflows.get(key)

    def __iter__(self):
        return iter(self._workflows.values())

    def offered_workflows(self) -> list[Workflow]:
        return [self._workflows[key] for key in self.offered]
