"""Officers' scores against the workflow's criteria, summarised for the council's assessment page
and the assessment report letter.

Each officer scores each criterion from 0 to ``MAX_SCORE``. An officer's weighted total is
``sum(score * weight) / (MAX_SCORE * sum(weight))`` as a percentage, so it reads the same
whatever scale the weights use (percentages, 1-3, fractions); the application passes when the
average of the officers' totals reaches ``workflow.pass_mark``, read as a percentage. A criterion
an officer left unscored counts as 0 and marks that officer's assessment incomplete.
"""

from dataclasses import dataclass
from decimal import Decimal

from ..models import MAX_SCORE


@dataclass(frozen=True)
class Entry:
    assessor: str
    score: int | None
    comment: str


@dataclass(frozen=True)
class CriterionRow:
    name: str
    label: str
    weight: float
    guidance: str
    entries: list[Entry]

    @property
    def mean(self) -> float | None:
        scores = [e.score for e in self.entries if e.score is not None]
        return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class OfficerTotal:
    assessor: str
    weighted_points: float  # sum(score * weight)
    max_points: float  # MAX_SCORE * sum(weight)
    percent: float
    complete: bool


@dataclass(frozen=True)
class ScoreSummary:
    rows: list[CriterionRow]
    officers: list[OfficerTotal]
    pass_mark: float | None

    @property
    def average(self) -> float | None:
        if not self.officers:
            return None
        return sum(o.percent for o in self.officers) / len(self.officers)

    @property
    def passes(self) -> bool | None:
        if self.average is None or self.pass_mark is None:
            return None
        return self.average >= self.pass_mark

    @property
    def scored(self) -> bool:
        """Whether any officer gave a score (Scotland's s82(3) matters get findings only)."""
        return any(e.score is not None for row in self.rows for e in row.entries)

    @property
    def complete(self) -> bool:
        return bool(self.officers) and all(o.complete for o in self.officers)


def criteria_of(workflow) -> list:
    criteria = getattr(workflow, "criteria", None) or []
    return list(criteria.values()) if isinstance(criteria, dict) else list(criteria)


def _score(value) -> int | None:
    if value is None or value == "":
        return None
    score = int(value)
    if not 0 <= score <= MAX_SCORE:
        raise ValueError(f"score {score} is outside 0-{MAX_SCORE}")
    return score


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float, Decimal)) else 0.0


def summarise(workflow, assessments) -> ScoreSummary:
    """Rows per criterion (each officer's score and comment) and each officer's weighted total."""
    criteria = criteria_of(workflow)
    names = [(a.assessor.name if a.assessor else f"Officer {a.assessor_id}") for a in assessments]
    rows = [
        CriterionRow(
            name=c.name,
            label=c.label,
            weight=_number(getattr(c, "weight", 0)),
            guidance=getattr(c, "guidance", "") or "",
            entries=[
                Entry(
                    name,
                    _score((a.scores or {}).get(c.name)),
                    str((a.comments or {}).get(c.name) or ""),
                )
                for name, a in zip(names, assessments, strict=True)
            ],
        )
        for c in criteria
    ]
    total_weight = sum(row.weight for row in rows)
    officers = []
    for index, name in enumerate(names):
        scores = [row.entries[index].score for row in rows]
        points = sum((s or 0) * row.weight for s, row in zip(scores, rows, strict=True))
        maximum = MAX_SCORE * total_weight
        officers.append(
            OfficerTotal(
                assessor=name,
                weighted_points=points,
                max_points=maximum,
                percent=(100 * points / maximum) if maximum else 0.0,
                complete=all(s is not None for s in scores),
            )
        )
    pass_mark = getattr(workflow, "pass_mark", None)
    return ScoreSummary(
        rows=rows, officers=officers, pass_mark=None if pass_mark is None else float(pass_mark)
    )
