"""Guards for the Scottish route (Community Empowerment (Scotland) Act 2015 Part 5): who hears
a challenge to a decision (a review, s86, or an appeal, s85), the review's outcome (s86), the s84
bar on disposing of land under a live request, and the s93 power to decline a repeat request.
Each returns the reasons it fails, in words for users."""
from flask import current_app

from ..wording import long_date
from ..workflow import workflows
from ..workflow.context import ActionContext
from ..workflow.steps import Registry
from .case_facts import answer, last_of
from .scottish_requests import (
    S84_BARRED,
    S84_EVIDENCE,
    S84_POSITION,
    S84_SINCE,
    refused_requests_like,
    requests_barring_disposal,
)

GUARDS = guard = Registry()

# The review outcomes of Community Empowerment (Scotland) Act 2015 s86(5), as the review actions'
# choice field gives them.
CONFIRMED, MODIFIED, SUBSTITUTED = "confirmed", "modified", "substituted"


@guard
def authority_is(ctx: ActionContext, params) -> list[str]:
    """The authority is of the kind ``params['kind']`` (the AUTHORITY_KIND setting): a council's
    decision goes to a review (s86), any other relevant authority's to an appeal (s85)."""
    return [] if current_app.config["AUTHORITY_KIND"] == params["kind"] else [params["message"]]


@guard
def review_outcome_fits(ctx: ActionContext, params) -> list[str]:
    """s86(5): a review that reaches the decision reviewed (one of ``same``) confirms or modifies
    it; one that reaches another (``different``), or follows no decision at all, substitutes."""
    outcome = ctx.data.get(params["field"])
    reviewed = last_of(ctx.application, [*params["same"], *params["different"]])
    if reviewed is None:
        allowed = (SUBSTITUTED,)
        why = ("No decision was made in time, so there is none to confirm or modify: the "
               "review substitutes a decision")
    elif reviewed.action in params["same"]:
        allowed = (CONFIRMED, MODIFIED)
        why = ("This review reaches the same decision as the one reviewed, so it confirms or "
               "modifies it")
    else:
        allowed = (SUBSTITUTED,)
        why = "This review reverses the decision reviewed, so it substitutes a different decision"
    if outcome is None or outcome in allowed:
        return []
    field = next(f for f in ctx.action.fields if f.name == params["field"])
    return [f"{why} (s86(5)): choose “{'” or “'.join(field.in_words(v) for v in allowed)}”"]


@guard
def s84_exception_evidenced(ctx: ActionContext, params) -> list[str]:
    """s84: an exception to the bar on disposal has the date it began, before the request was
    made (on the date in ``params['made_on']``), and the evidence for it."""
    if ctx.data.get(S84_POSITION) in (None, S84_BARRED):
        return []
    failures = []
    since, made_on = ctx.data.get(S84_SINCE), ctx.data.get(params["made_on"])
    if since is None:
        failures.append("Give the date the land was advertised or the negotiations began")
    elif made_on and since >= made_on:
        failures.append(
            f"The exception to section 84 must have begun before the request was made on "
            f"{long_date(made_on)}; {long_date(since)} is not before it")
    if not (ctx.data.get(S84_EVIDENCE) or "").strip():
        failures.append("Give the evidence of the advertisement or negotiations")
    return failures


@guard
def not_barred_by_s84(ctx: ActionContext, params) -> list[str]:
    """Community Empowerment (Scotland) Act 2015 s84(2): while an asset transfer request (of the
    workflow ``params['workflow']``) for the land is live, the authority must not dispose of it to
    anyone but the body that made the request."""
    return [
        f"Section 84 of the Community Empowerment (Scotland) Act 2015: asset transfer request "
        f"{request.reference} by {request.organisation.name} for this land is live "
        f"({workflows()[request.workflow].states[request.state].label.lower()}), so the land may "
        f"not be disposed of to anyone else until that request is disposed of, unless an "
        f"exception is recorded on it"
        for request in requests_barring_disposal(ctx.application, params["workflow"])
    ]


@guard
def repeat_of_refused_request(ctx: ActionContext, params) -> list[str]:
    """s93: an earlier request for the same land and the same type of transfer was refused, and
    today falls within the period ``params['window']`` (a deadline rule of the workflow) that
    begins with the day that request was made. The request named in ``params['reference']``, made
    on ``params['made_on']``, must be one of them."""
    rule, cal = ctx.workflow.deadlines[params["window"]], ctx.workflow.calendar
    earlier = [(request, made_on, rule.period.due_date(made_on, cal)) for request, made_on
               in refused_requests_like(ctx.application, params["same"], params["refused"])]
    within = [(r, made_on, ends) for r, made_on, ends in earlier if made_on <= ctx.today <= ends]
    if not within:
        kind = answer(ctx.application, params["same"]) or "this type of transfer"
        found = "; ".join(f"{r.reference} was made on {long_date(made_on)}, so the "
                          f"{rule.period.describe(made_on, cal)} ended on {long_date(ends)}"
                          for r, made_on, ends in earlier)
        return [f"Section 93 does not apply: no request for the same land and the same type of "
                f"transfer ({kind.replace('_', ' ')}) was refused within the two years before "
                f"this one" + (f" ({found})" if found else "")]
    reference, made_on = ctx.data.get(params["reference"]), ctx.data.get(params["made_on"])
    if not reference:
        return []
    match = next((m for m in within if m[0].reference == reference.strip().upper()), None)
    if match is None:
        return [f"{reference} is not a refused request for the same land and the same type of "
                f"transfer made within the last two years; "
                f"{', '.join(r.reference for r, *_ in within)} is"]
    if made_on and made_on != match[1]:
        return [f"{match[0].reference} was made on {long_date(match[1])} (its validation date), "
                f"not {long_date(made_on)}"]
    return []
