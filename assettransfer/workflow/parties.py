"""The parties to a process besides the applying group: those the council must write to (the
owner and the occupier of listed land), and where a workflow file says their details are kept."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Party:
    """``name_field`` and ``address_field`` name where their details are recorded: the latest
    action that gave them, else the form. When ``unless`` (a yes/no field) is yes, they get no
    letter of their own (an occupier who is also the owner)."""

    name: str
    label: str  # how a letter addresses them when no name is known: "The owner"
    name_field: str
    address_field: str
    unless: str | None = None


def parse_parties(raw, where: str) -> dict[str, Party]:
    """The ``parties`` of a workflow file; ValueError names the party and what it lacks."""
    parties = {}
    for name, spec in (raw or {}).items():
        spec = spec if isinstance(spec, dict) else {}
        for key in ("label", "name", "address"):
            if key not in spec:
                raise ValueError(f"{where}: party '{name}': missing '{key}'")
        parties[name] = Party(name, spec["label"], spec["name"], spec["address"],
                              spec.get("unless"))
    return parties
