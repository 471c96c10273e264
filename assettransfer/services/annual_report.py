"""The annual report on asset transfer: in Scotland the report section 95 of the Community
Empowerment (Scotland) Act 2015 requires; in England the same kind of summary of the community
right to bid. Figures come from the audit trail; the authority writes what it did to promote and
support requests (``report_narratives``). How each figure is counted is said once, in the rules
below, which the report prints.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date
from statistics import mean, median

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Application, Deadline, Event
from ..workflow.calendar import add_months
from . import report_narratives
from .errors import ValidationFailed
from .report_periods import ReportingYear, uk_date
from .report_tables import Table, days

ATR, ACV = "scotland-atr", "england-acv"
REQUEST_TYPES = {"ownership": "Transfer of ownership", "lease": "Lease",
                 "other_rights": "Other rights"}
APPEAL_OUTCOMES = {"appeal_allowed": "Allowed", "appeal_dismissed": "Dismissed",
                   "terms_appeal_dismissed": "Dismissed", "appeal_varied": "Decision varied"}
APPEAL_ROUTES = {"appeal_decision_to_ministers": "Section 85 (authority not a council)",
                 "appeal_to_ministers": "Section 88 (after a council's review)"}
REVIEW_OUTCOMES = {"confirmed": "Confirmed", "modified": "Modified", "substituted": "Substituted"}
NOT_RECORDED = "Outcome not recorded"

COMMON_RULES = (
    "Each event counts on its date in the UK (Europe/London), in the reporting year that begins "
    "on 1 April.",
    "An event that records the date of something done outside the council's system counts on "
    "that date: a decision of the Scottish Ministers on the date of their decision notice, an "
    "owner's notice of disposal on the day the council received it, a sale on the day of the "
    "sale. Every other event counts on the day it was recorded; for the council's own decisions "
    "that is the date of the decision notice, issued with the decision.",
)
SCOTLAND_RULES = (
    "Received: requests the group sent to the council in the year, whatever happened to them "
    "later. Agreed and refused: the council's first decisions, by the date of the decision "
    "notice. A decision changed on review is counted under reviews; one changed on appeal, "
    "under appeals.",
    "Outcomes of the requests agreed: by the type of transfer the request asked for "
    "(ownership, a lease, or other rights).",
    "Appeals: the Scottish Ministers' decisions on appeals against a decision (section 85, and "
    "section 88 after a council's review): allowed, dismissed (also an appeal against the terms "
    "dismissed), or the decision varied. Appeals because no contract was concluded (section "
    "83(6)) are not included.",
    "Reviews: review decisions by what they did to the decision reviewed: confirmed, modified or "
    "substituted.",
    "Time to decide: calendar days from the validation date (the start of the decision period) "
    "to the decision notice, against the six-month period or the later date agreed with the "
    "group (section 82(8)).",
)
ENGLAND_RULES = (
    "Nominations: those received in the year; listed and not listed: the council's decisions "
    "in the year; reviews: owners' requests for a review, and the review decisions.",
    "Full moratoria: the first written request of a community interest group to be treated as a "
    "potential bidder in an interim moratorium (later requests add none).",
    "Time to decide: calendar days from the day the nomination was received to the decision, "
    "against the eight weeks (SI 2012/2421 reg 7).",
)


@dataclass(frozen=True)
class Dated:
    """An event, its application's answers, and the UK date it counts on."""

    event: Event
    answers: dict
    day: date


@dataclass(frozen=True)
class AnnualReport:
    nation: str
    year: ReportingYear
    title: str
    basis: str
    authority: str
    tables: tuple[Table, ...]
    charts: tuple[str, ...]  # keys of the tables also drawn as charts
    narrative: str | None
    rules: tuple[str, ...]  # how the figures are counted, printed with them

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def dated_events(workflow: str, actions, year: ReportingYear, date_field: str | None = None,
                 ) -> list[Dated]:
    """The events of ``actions`` on ``workflow``'s applications that count in ``year``: on the
    date in their ``date_field`` if they have one, else on the UK date they were recorded."""
    start, end = year.utc_bounds()
    query = (select(Event, Application.answers).join(Application, Application.id ==
                                                     Event.application_id)
             .where(Application.workflow == workflow, Event.action.in_(list(actions)),
                    Event.at >= start)  # a date an action records is never after the action
             .order_by(Event.at, Event.id))
    if date_field is None:
        query = query.where(Event.at < end)
    found = []
    for event, answers in db.session.execute(query):
        given = (event.payload or {}).get(date_field) if date_field else None
        day = date.fromisoformat(given) if given else uk_date(event.at)
        if day in year:
            found.append(Dated(event, answers or {}, day))
    return found


def _monthly(year: ReportingYear, title: str, columns: dict[str, list[Dated]]) -> Table:
    counts = {name: Counter((d.day.year, d.day.month) for d in found)
              for name, found in columns.items()}
    return Table("monthly", title, ("Month", *columns),
                 tuple((month.strftime("%b %Y"),
                        *(counts[name][(month.year, month.month)] for name in columns))
                       for month in year.months), unit="number")


def _elapsed(start: date, end: date, unit: str) -> int:
    """Whole months or weeks from ``start`` to ``end``."""
    if unit == "weeks":
        return (end - start).days // 7
    months = 0
    while add_months(start, months + 1) <= end:
        months += 1
    return months


def decision_times(decisions: list[Dated], deadline: str, unit: str, limit: int,
                   ) -> tuple[Table, Table]:
    """How long each decision took from the start of its decision period, in whole ``unit``s
    (the chart) and as a summary in calendar days, each against the period in force."""
    periods = {row.application_id: row for row in db.session.scalars(
        select(Deadline).where(Deadline.name == deadline, Deadline.superseded_at.is_(None),
                               Deadline.application_id.in_(
                                   [d.event.application_id for d in decisions])))}
    within, late, taken = Counter(), Counter(), []
    for decision in decisions:
        period = periods.get(decision.event.application_id)
        if period is None:  # decided without a period started: nothing to measure against
            continue
        bucket = min(_elapsed(period.starts_on, decision.day, unit), limit)
        (within if decision.day <= period.due_on else late)[bucket] += 1
        taken.append((decision.day - period.starts_on).days)
    labels = [f"{n} to {n + 1} {unit}" if n else f"Under 1 {unit[:-1]}" for n in range(limit)]
    labels.append(f"{limit} {unit} or more")
    chart = Table("decision_time", f"Time from the start of the decision period to the decision "
                  f"(limit: {limit} {unit})", ("Time taken", "Within the period",
                                                "After the period"),
                  tuple((label, within[n], late[n]) for n, label in enumerate(labels)),
                  unit="decisions")
    summary = Table("decision_time_summary", "Time to decide (calendar days)", ("", "Figure"), (
        ("Decisions measured", len(taken)),
        ("Within the decision period (as extended)", sum(within.values())),
        ("After the decision period", sum(late.values())),
        ("Median days", days(median(taken)) if taken else None),
        ("Mean days", days(mean(taken)) if taken else None),
    ))
    return chart, summary


def scotland_tables(year: ReportingYear) -> tuple[Table, ...]:
    received = dated_events(ATR, ("submit",), year)
    agreed = dated_events(ATR, ("agree",), year)
    refused = dated_events(ATR, ("refuse",), year)
    by_type = Counter((d.answers.get("land") or {}).get("request_type") for d in agreed)
    type_rows = [(label, by_type.pop(key, 0)) for key, label in REQUEST_TYPES.items()]
    if by_type:  # only if some agreed request has no type recorded
        type_rows.append(("Type not recorded", sum(by_type.values())))
    requests = Table("requests", "Asset transfer requests", ("", "Requests"), (
        ("Received", len(received)), ("Agreed", len(agreed)), ("Refused", len(refused))))
    outcomes = Table("outcomes", "Outcomes of the requests agreed", ("Type of transfer",
                                                                    "Requests"), tuple(type_rows))
    chart, summary = decision_times(agreed + refused, "decision", "months", 6)
    monthly = _monthly(year, "Requests by month and outcome",
                       {"Received": received, "Agreed": agreed, "Refused": refused})
    return requests, outcomes, _appeals(year), _reviews(year), monthly, chart, summary


def _appeals(year: ReportingYear) -> Table:
    decided = dated_events(ATR, APPEAL_OUTCOMES, year, "decision_date")
    appeals = db.session.execute(
        select(Event.application_id, Event.seq, Event.action)
        .where(Event.application_id.in_([d.event.application_id for d in decided]),
               Event.action.in_(list(APPEAL_ROUTES))).order_by(Event.seq)).all()
    counts = Counter()
    for d in decided:
        # The appeal this decides: the latest made on the request before the decision.
        route = next((a.action for a in reversed(appeals)
                      if a.application_id == d.event.application_id and a.seq < d.event.seq),
                     "appeal_to_ministers")
        counts[APPEAL_OUTCOMES[d.event.action], route] += 1
    rows = tuple((outcome, *(counts[outcome, route] for route in APPEAL_ROUTES),
                  sum(counts[outcome, route] for route in APPEAL_ROUTES))
                 for outcome in dict.fromkeys(APPEAL_OUTCOMES.values()))
    return Table("appeals", "Appeals to the Scottish Ministers decided",
                 ("Outcome", *APPEAL_ROUTES.values(), "Total"), rows)


def _reviews(year: ReportingYear) -> Table:
    decided = dated_events(ATR, ("review_agree", "review_refuse"), year)
    counts = Counter(REVIEW_OUTCOMES.get((d.event.payload or {}).get("review_outcome"),
                                         NOT_RECORDED) for d in decided)
    rows = [(label, counts[label]) for label in REVIEW_OUTCOMES.values()]
    if counts[NOT_RECORDED]:  # reviews decided before the outcome was asked for
        rows.append((NOT_RECORDED, counts[NOT_RECORDED]))
    return Table("reviews", "Reviews decided (sections 86 and 87)", ("Outcome", "Reviews"),
                 tuple(rows))


def england_tables(year: ReportingYear) -> tuple[Table, ...]:
    nominated = dated_events(ACV, ("submit",), year)
    listed = dated_events(ACV, ("list",), year)
    not_listed = dated_events(ACV, ("decline",), year)
    full = [d for d in dated_events(ACV, ("express_interest", "record_interest"), year)
            if d.event.from_state == "interim_moratorium"]  # the first request starts it
    listing = Table("listing", "Nominations, listings and reviews", ("", "Number"), (
        ("Nominations received", len(nominated)),
        ("Assets listed", len(listed)),
        ("Nominations not listed", len(not_listed)),
        ("Owner reviews requested", len(dated_events(ACV, ("request_owner_review",), year))),
        ("Listings upheld on review", len(dated_events(ACV, ("uphold_listing",), year))),
        ("Listings removed on review", len(dated_events(ACV, ("remove_listing",), year))),
    ))
    disposals = Table("disposals", "Notices of disposal, moratoria and community purchases",
                      ("", "Number"), (
        ("Notices of intended disposal received",
         len(dated_events(ACV, ("notify_disposal",), year, "notice_received_on"))),
        ("Full moratoria (a community interest group asked to bid)", len(full)),
        ("Sales to a community group",
         len(dated_events(ACV, ("record_sale_to_community",), year, "sale_date"))),
    ))
    chart, summary = decision_times(listed + not_listed, "listing_decision", "weeks", 8)
    monthly = _monthly(year, "Nominations by month and outcome",
                       {"Nominations": nominated, "Listed": listed, "Not listed": not_listed})
    return listing, disposals, monthly, chart, summary


NATIONS = {
    "scotland": ("Annual report on asset transfer requests",
                 "Community Empowerment (Scotland) Act 2015, section 95", scotland_tables,
                 SCOTLAND_RULES),
    "england": ("Annual report on assets of community value",
                "Localism Act 2011, Part 5 Chapter 3 (a summary the Act does not require)",
                england_tables, ENGLAND_RULES),
}


def annual_report(year: ReportingYear, nation: str | None = None) -> AnnualReport:
    """The report for ``year`` for the configured nation (AUTHORITY_NATION)."""
    nation = nation or current_app.config["AUTHORITY_NATION"]
    if nation not in NATIONS:
        raise ValidationFailed(f"There is no annual report on asset transfer for {nation}: "
                               "only Scotland (s95) and England (community right to bid)")
    title, basis, tables, rules = NATIONS[nation]
    narrative = report_narratives.narrative_for(year)
    return AnnualReport(nation, year, title, basis, current_app.config["AUTHORITY_NAME"],
                        tables(year), ("monthly", "decision_time"),
                        narrative.text if narrative else None, COMMON_RULES + rules)
