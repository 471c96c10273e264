"""The functions behind the guards and effects (``Step``s) a workflow file names.

The workflow layer knows their shape and checks that every name a file uses exists. The services
layer supplies them (``services.actions.STEP_FUNCTIONS``), because they read and write the
database and the documents: to the registry when the app starts, and to ``flask workflows check``.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .context import ActionContext

# Given the action's context and the step's parameters from the file: the reasons it fails, in
# words for users (empty when it holds).
Guard = Callable[[ActionContext, object], list[str]]
# Given the same: changes what the action changes besides the state; flushes, never commits.
Effect = Callable[[ActionContext, object], None]


class Registry(dict):
    """Step functions by name. Used as a decorator, it registers a function under its own name."""

    def __call__(self, fn):
        self[fn.__name__] = fn
        return fn

    @classmethod
    def merged(cls, *registries: Mapping) -> "Registry":
        """One registry of several; a name registered twice is a programming error."""
        merged = cls()
        for registry in registries:
            twice = merged.keys() & registry.keys()
            if twice:
                raise ValueError(f"step functions registered twice: {', '.join(sorted(twice))}")
            merged.update(registry)
        return merged


@dataclass(frozen=True)
class StepFunctions:
    guards: Mapping[str, Guard]
    effects: Mapping[str, Effect]

    def failures(self, ctx: ActionContext) -> list[str]:
        """Every reason the action's guards give for refusing it; empty when all hold."""
        return [message for step in ctx.action.guards
                for message in self.guards[step.name](ctx, step.params)]

    def apply_effects(self, ctx: ActionContext) -> None:
        for step in ctx.action.effects:
            self.effects[step.name](ctx, step.params)
