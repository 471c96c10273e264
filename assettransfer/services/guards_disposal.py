"""Guards on a council disposing of its own land: the open-space advertisement and the undervalue
consents of the Local Government Act 1972 s123, and the moratorium of the Localism Act 2011 s95-96
where the land is an asset of community value. Each returns the reasons it fails."""
from sqlalchemy import select

from ..extensions import db
from ..models import Application
from ..wording import long_date
from ..workflow.context import ActionContext
from ..workflow.steps import Registry
from . import disposal
from .case_facts import last_of
from .guards import deadline_passed

GUARDS = guard = Registry()

@guard
def open_space_record_fits_asset_type(ctx: ActionContext, params=None) -> list[str]:
    """LGA 1972 s270(1): a park or sports ground in the register is open space by its type."""
    asset = ctx.application.asset
    if ctx.data.get(disposal.OPEN_SPACE) is False and asset.asset_type in disposal.OPEN_SPACE_TYPES:
        return [f"{asset.name} is registered as a {asset.asset_type.label.lower()}, which is open "
                f"space (land used for public recreation): correct its type in the asset register "
                f"if that is wrong"]
    return []


@guard
def open_space_advertisement_needed(ctx: ActionContext, params) -> list[str]:
    """s123(2A) asks a council in England or Wales to advertise the disposal of open space."""
    nation, application = ctx.workflow.nation, ctx.application
    if nation not in disposal.UNDER_S123:
        return ["Section 123(2A) of the Local Government Act 1972 applies to councils in England "
                "and Wales only"]
    if not disposal.is_open_space(application, params["recorded_by"]):
        return [f"{application.asset.name} is not recorded as open space, so its disposal needs "
                f"no advertisement"]
    return []


@guard
def advertised_in_two_consecutive_weeks(ctx: ActionContext, params) -> list[str]:
    """s123(2A): the notice is advertised in two consecutive weeks (``disposal`` says how they
    are read), and objections may be made at least until the advertisement has run."""
    first, second, closes = (ctx.data.get(params[name])
                             for name in ("first", "second", "objections_close"))
    if not (first and second):
        return []
    if not disposal.in_consecutive_weeks(first, second):
        return [f"The second publication must be in the week after the first: 7 to 13 days after "
                f"{long_date(first)} and in the next week from Monday to Sunday"]
    last_day = disposal.advertisement_last_day(second)
    if closes and closes < last_day:
        return [f"The closing date for objections must be {long_date(last_day)} or later, when "
                f"the week of the second publication ends"]
    return []


@guard
def open_space_objections_considered(ctx: ActionContext, params) -> list[str]:
    """s123(2A): the disposal of open space is decided only after the advertisement has run and
    the objections made have been considered."""
    application = ctx.application
    if not disposal.advertisement_needed(application, ctx.workflow.nation, params["recorded_by"]):
        return []
    advertised = last_of(application, [params["advertised_by"]])
    if advertised is None:
        return [f"{application.asset.name} is open space: advertise the intended disposal in two "
                f"consecutive weeks in a newspaper circulating in the area, and consider any "
                f"objections, before deciding (Local Government Act 1972 s123(2A))"]
    failures = deadline_passed(ctx, params["objections"])
    considered = last_of(application, [params["considered_by"]])
    if considered is None or considered.seq < advertised.seq:
        failures.append("Record the objections received and how they were considered")
    return failures


@guard
def within_disposal_consent(ctx: ActionContext, params) -> list[str]:
    """LGA 1972 s123(2) and (7); the General Disposal Consents (England) and (Wales) 2003."""
    return disposal.consent_failures(ctx.workflow.nation, ctx.data,
                                     params["general_consent_limit"],
                                     params["short_tenancy_years"])


# Localism Act 2011 s96: a relevant disposal is of the freehold, or the grant or assignment of a
# lease granted for at least 25 years, with vacant possession.
QUALIFYING_LEASE_YEARS = 25


@guard
def acv_disposal_allowed(ctx: ActionContext, params) -> list[str]:
    """The council's own land on its list of assets of community value: a transfer that is a
    relevant disposal (s96: the freehold, or a lease of 25 years or more) may only be entered into
    once s95's conditions are met (``may_dispose_in``: the protected period after the moratorium).

    ``listing`` is the ACV workflow's key and ``listed_states`` its states in which the land is on
    the list; the terms are this action's data, else the terms recorded on the application.
    """
    terms = {**(ctx.application.terms or {}), **{k: v for k, v in ctx.data.items() if v}}
    kind, years = terms.get("transfer_type"), float(terms.get("term_years") or 0)
    if not (kind == "freehold" or (kind == "lease" and years >= QUALIFYING_LEASE_YEARS)):
        return []
    listings = db.session.scalars(
        select(Application).where(Application.asset_id == ctx.application.asset_id,
                                  Application.workflow == params["listing"],
                                  Application.state.in_(params["listed_states"]))
    ).all()
    return [
        f"{ctx.application.asset.name} is on the list of assets of community value "
        f"({listing.reference}): a freehold or a lease of {QUALIFYING_LEASE_YEARS} years or more "
        "is a relevant disposal, which may only be made in the protected period after the "
        "council has notified its wish to dispose and the moratorium has ended "
        "(Localism Act 2011 s95, s96)"
        for listing in listings if listing.state not in params["may_dispose_in"]
    ]
