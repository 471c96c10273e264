"""The council's own disposal of its land (council-cat): when the land is open space and the
intended disposal must be advertised (Local Government Act 1972 s123(2A)), and what a disposal
below best consideration needs (s123(2) and the general disposal consents). The guards that apply
these rules are in ``guards.py``; the workflow file names them and gives their parameters."""
from datetime import date, timedelta
from decimal import Decimal

from ..models import Application, AssetType
from ..wording import money
from .case_facts import last_of

# Land is open space when it is "laid out as a public garden, or used for the purposes of public
# recreation, or ... a disused burial ground" (LGA 1972 s270(1), by reference to the Town and
# Country Planning Act 1990 s336(1)). A park and a sports ground in the council's register are
# such land by their type; any other land is open space when an officer records that it is.
OPEN_SPACE_TYPES = frozenset({AssetType.PARK, AssetType.SPORTS_GROUND})
OPEN_SPACE = "open_space"  # the officer's record: a yes/no field

# The fields of a decision that records the disposal's consideration and the consent relied on.
MARKET_VALUE = "market_value"  # best consideration reasonably obtainable
CONSIDERATION = "consideration_value"  # the value of what the group gives
UNDERVALUE = "undervalue"  # kept with the terms: best consideration less the consideration
CONSENT = "disposal_consent"
WELLBEING = "wellbeing"
CONSENT_REFERENCE = "consent_reference"
LOCAL_BASIS = "local_basis"

# The Local Government Act 1972, s123 with it, extends to England and Wales only: a council in
# Scotland or Northern Ireland records the basis its own law gives (LOCAL_BASIS), and s123(2A)'s
# advertisement of open space is not required of it.
UNDER_S123 = ("england", "wales")
GENERAL_CONSENTS = {"general_consent_england": "england", "general_consent_wales": "wales"}
NONE_NEEDED, SHORT_TENANCY, SPECIFIC = "none_needed", "short_tenancy", "specific_consent"
CONSENT_NAMES = {
    "general_consent_england": "The General Disposal Consent (England) 2003",
    "general_consent_wales": "The General Disposal Consent (Wales) 2003",
}
NATION_NAMES = {"england": "England", "wales": "Wales", "scotland": "Scotland",
                "northern-ireland": "Northern Ireland"}
SPECIFIC_CONSENT_FROM = {"england": "the Secretary of State", "wales": "the Welsh Ministers"}


def is_open_space(application: Application, recorded_by: str) -> bool:
    """Open space by the asset's type, or by the latest record of the action ``recorded_by``."""
    if application.asset.asset_type in OPEN_SPACE_TYPES:
        return True
    record = last_of(application, [recorded_by])
    return bool(record and record.payload.get(OPEN_SPACE))


def advertisement_needed(application: Application, nation: str, recorded_by: str) -> bool:
    """s123(2A): a council in England or Wales advertises the disposal of open space first."""
    return nation in UNDER_S123 and is_open_space(application, recorded_by)


def week_beginning(day: date) -> date:
    """The Monday of the calendar week (Monday to Sunday) that holds ``day``."""
    return day - timedelta(days=day.weekday())


def in_consecutive_weeks(first: date, second: date) -> bool:
    """s123(2A): the notice is "advertised in two consecutive weeks". No statute says which
    weeks, so the second publication must be in the week after the first's on both readings: the
    calendar week (Monday to Sunday) after the first's, and the second period of seven days
    beginning with the first publication (7 to 13 days after it). A weekly paper's next issue
    (seven days on) always is; an advertisement valid on both readings is valid on either."""
    calendar_weeks = week_beginning(second) - week_beginning(first) == timedelta(weeks=1)
    seven_day_weeks = 7 <= (second - first).days <= 13
    return calendar_weeks and seven_day_weeks


def advertisement_last_day(second: date) -> date:
    """The advertisement runs until the end of the week of its second publication: the seventh
    day beginning with it. That is never earlier than the end of the second calendar week or of
    the second seven days from the first publication, so it is the later reading (a period the
    council gives the public to object ends on the later date)."""
    return second + timedelta(days=6)


def undervalue(market_value: Decimal, consideration: Decimal) -> Decimal:
    """How far the consideration falls short of the best reasonably obtainable (none if not)."""
    return max(market_value - consideration, Decimal("0.00"))


def consent_failures(nation: str, data: dict, general_limit, short_tenancy_years) -> list[str]:
    """Why the consent a decision relies on does not cover its undervalue, in words for the
    decision maker; empty when it does. ``data`` holds the decision's typed fields."""
    market, consideration, consent = (data.get(MARKET_VALUE), data.get(CONSIDERATION),
                                      data.get(CONSENT))
    if market is None or consideration is None or consent is None:
        return []  # the action's required fields say what is missing
    short_of_best = undervalue(market, consideration)
    if nation not in UNDER_S123:
        return _local_failures(nation, consent, data, short_of_best)
    if consent == LOCAL_BASIS:
        return [f"Section 123 of the Local Government Act 1972 applies to a council in "
                f"{NATION_NAMES[nation]}: choose the consent the disposal relies on under it"]
    if consent == NONE_NEEDED and short_of_best:
        return [f"The consideration is {money(short_of_best)} less than best consideration: "
                f"choose the consent that allows the undervalue"]
    if consent == SHORT_TENANCY:
        return _short_tenancy_failures(data, short_tenancy_years)
    if consent == SPECIFIC and not data.get(CONSENT_REFERENCE):
        return [f"Give the reference of the specific consent of {SPECIFIC_CONSENT_FROM[nation]}"]
    if consent in GENERAL_CONSENTS:
        return _general_consent_failures(nation, consent, data, short_of_best,
                                         Decimal(str(general_limit)))
    return []


def _local_failures(nation: str, consent: str, data: dict, short_of_best: Decimal) -> list[str]:
    where = NATION_NAMES.get(nation, nation)
    if consent == NONE_NEEDED:
        return [f"The consideration is {money(short_of_best)} less than best consideration: "
                f"state the basis the disposal relies on"] if short_of_best else []
    if consent != LOCAL_BASIS:
        return [f"Section 123 of the Local Government Act 1972 and its consents do not apply to "
                f"a council in {where}: choose “the basis stated below” and state it"]
    if not data.get(LOCAL_BASIS):
        return [f"State the basis in the law of {where} that the disposal relies on"]
    return []


def _short_tenancy_failures(data: dict, years: int) -> list[str]:
    term = data.get("term_years")
    if data.get("transfer_type") == "freehold" or term is None or term > years:
        return [f"Only a lease or licence for {years} years or less is a short tenancy "
                f"(Local Government Act 1972 s123(7)); give its term"]
    return []


def _general_consent_failures(nation: str, consent: str, data: dict, short_of_best: Decimal,
                              limit: Decimal) -> list[str]:
    failures = []
    if GENERAL_CONSENTS[consent] != nation:
        failures.append(f"{CONSENT_NAMES[consent]} applies only to councils in "
                        f"{NATION_NAMES[GENERAL_CONSENTS[consent]]}")
    if short_of_best > limit:
        failures.append(f"An undervalue of {money(short_of_best)} is more than the "
                        f"{money(limit)} a general disposal consent allows: the disposal needs "
                        f"the specific consent of {SPECIFIC_CONSENT_FROM[nation]}")
    if not data.get(WELLBEING):
        failures.append("Say how the transfer will promote or improve the economic, social or "
                        "environmental well-being of the area: the general consent requires it")
    return failures
