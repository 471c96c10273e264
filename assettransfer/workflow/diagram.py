"""A workflow drawn by the ``transitions`` diagrams extension, the current stage highlighted."""
import re

from transitions.extensions import GraphMachine

from .definition import Workflow

ENGINES = ("mermaid", "graphviz")


class _Drawing:
    """A throwaway model: the diagram machine binds helpers onto it, never onto an application."""


def diagram(workflow: Workflow, current_state: str | None = None, engine: str = "mermaid") -> str:
    """Mermaid ``stateDiagram-v2`` text, or Graphviz DOT source (needs the graphviz package)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    model = _Drawing()
    machine = GraphMachine(
        model=model,
        states=list(workflow.states),
        transitions=[
            {"trigger": a.name, "source": list(a.sources), "dest": a.dest}
            for a in workflow.actions.values() if a.dest
        ],
        initial=workflow.initial_state,
        auto_transitions=False,
        graph_engine="mermaid" if engine == "mermaid" else "graphviz",
        title=workflow.title,
        show_conditions=False,
    )
    if current_state:
        machine.set_state(current_state, model)
    graph = model.get_graph(force_new=True)
    if engine == "graphviz":
        return graph.source
    text = graph.draw(None)
    # Show each stage by its label rather than its key.
    return re.sub(
        r'state "([a-z_]+)" as \1',
        lambda m: f'state "{workflow.states[m[1]].label}" as {m[1]}',
        text,
    )
