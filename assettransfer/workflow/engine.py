"""The one place where an application's state changes."""
from transitions import MachineError

from .context import ActionContext


class TransitionRefused(Exception):
    def __init__(self, failures: list[str]):
        super().__init__("; ".join(failures))
        self.failures = failures


def fire(ctx: ActionContext) -> tuple[str, str]:
    """Run the action's transition on the application; return (from state, to state).

    The shared machine evaluates every guard; ``TransitionRefused`` carries all their failures.
    """
    from_state = ctx.application.state
    try:
        moved = ctx.workflow.machine.events[ctx.action.name].trigger(ctx.application, ctx=ctx)
    except MachineError:
        raise TransitionRefused([f"“{ctx.action.label}” is not possible from this stage"]) from None
    if not moved:
        raise TransitionRefused(ctx.failures)
    return from_state, ctx.application.state
