"""A realistic demo authority: assets, community groups, staff, and applications at many stages.

Everything is made through the services, so the demo's events, deadlines and documents are real.
"""
from decimal import Decimal
from types import SimpleNamespace

from .extensions import db
from .models import Asset, AssetType, LegalForm, Membership, Organisation, Role
from .services import accounts
from .walks import begin, walk
from .workflow import workflows

ASSETS = [
    ("Riverside Park Pavilion", AssetType.PARK, "Riverside Road", "EX1 3CD", 12500, 18500, 250000,
     "Public park with a closed pavilion", "Pavilion roof leaks; park well kept"),
    ("Carnegie Library, Mill Street", AssetType.LIBRARY, "14 Mill Street", "EX2 4EF", 640, 41000,
     380000, "Branch library open two days a week", "Listed building; needs rewiring"),
    ("Eastfield Community Centre", AssetType.COMMUNITY_CENTRE, "2 Eastfield Way", "EX3 1GH", 900,
     36500, 420000, "Hall hire and youth club", "Good; heating replaced 2021"),
    ("Hillside Bowling Green", AssetType.SPORTS_GROUND, "Hillside Avenue", "EX2 9JK", 3100, 9800,
     90000, "Bowling club on an annual licence", "Green in good order; clubhouse tired"),
    ("Station Road Allotments", AssetType.ALLOTMENTS, "Station Road", "EX4 2LM", 8200, 4200, 60000,
     "48 plots, waiting list of 60", "Fencing and water supply need work"),
    ("Market Square Toilets", AssetType.PUBLIC_TOILETS, "Market Square", "EX1 1NP", 45, 22000,
     35000, "Public toilets, closed in winter", "Poor; not accessible"),
    ("Old Harbour Museum", AssetType.MUSEUM, "Harbour Front", "EX5 6QR", 510, 52000, 300000,
     "Local history museum, volunteer-run on Saturdays", "Damp in the basement store"),
    ("The Red Lion", AssetType.PUB, "1 High Street", "EX6 7ST", 420, None, 475000,
     "Privately owned pub, closed since March", "Fair"),
    ("Northgate Playing Fields", AssetType.SPORTS_GROUND, "Northgate Lane", "EX3 8UV", 41000, 15500,
     150000, "Junior football pitches", "Drainage poor on the lower pitch"),
    ("Westbrook Woodland", AssetType.PARK, "Westbrook Lane", "EX7 2WX", 68000, 6200, 120000,
     "Informal open space and paths", "Ash dieback in the north corner"),
    ("Kirkgate Hall", AssetType.COMMUNITY_CENTRE, "Kirkgate", "EX8 3YZ", 380, 14800, 210000,
     "Church hall leased to the council; lettings", "Good"),
    ("Former Ferry Office", AssetType.OTHER, "Ferry Slip", "EX5 1AB", 95, 2100, 45000,
     "Empty since 2019", "Derelict; roof partly collapsed"),
]

# Where the demo's assets are: wards of an imagined town, and points a few hundred metres apart.
WARDS = ("Riverside", "Mill and Eastfield", "Harbour", "Northgate")
TOWN_CENTRE = (Decimal("55.950000"), Decimal("-3.190000"))
OPEN_SPACE = (AssetType.PARK, AssetType.SPORTS_GROUND, AssetType.ALLOTMENTS)

ORGANISATIONS = [  # name, legal form, charity, company, members, local voters, lead contact
    ("Friends of Riverside Park", LegalForm.SCIO, "SC051234", None, 64, 58, "Priya Shah"),
    ("Eastfield Community Trust", LegalForm.COMPANY_LIMITED_BY_GUARANTEE, None, "SC612345", 132,
     120, "Tom Reid"),
    ("Red Lion Community Pub Group", LegalForm.UNINCORPORATED_ASSOCIATION, None, None, 38, 31,
     "Mary O'Neill"),
]

STAFF = [
    ("officer@demo.example", "Olivia Officer", Role.OFFICER),
    ("officer2@demo.example", "Oscar Officer", Role.OFFICER),
    ("decisions@demo.example", "Dara Decider", Role.DECISION_MAKER),
    ("legal@demo.example", "Lena Legal", Role.LEGAL),
    ("admin@demo.example", "Adam Admin", Role.ADMIN),
]

def is_empty() -> bool:
    return (db.session.query(Asset.id).first() is None
            and db.session.query(Organisation.id).first() is None)


def seed(password: str) -> list[tuple[str, str, str]]:
    """Fill an empty database; return (role, email, name) of every account made."""
    assets = [_asset(index, *row) for index, row in enumerate(ASSETS)]
    staff = {}
    for email, name, role in STAFF:
        staff.setdefault(role, []).append(accounts.create_user(email, name, role, password))
    groups = []
    for index, (name, form, charity, company, members, voters, person) in enumerate(
            ORGANISATIONS, 1):
        lead = accounts.create_user(f"group{index}@demo.example", person, Role.APPLICANT, password)
        groups.append((_organisation(name, form, charity, company, members, voters, lead), lead))
    db.session.flush()
    _applications(assets, staff, groups)
    accounts_made = [(r.value, u.email, u.name) for r, users in staff.items() for u in users]
    return accounts_made + [("applicant", lead.email, lead.name) for _, lead in groups]


def _asset(index, name, kind, street, postcode, area, cost, value, use, condition) -> Asset:
    latitude = TOWN_CENTRE[0] + Decimal("0.004") * (index // 4)
    longitude = TOWN_CENTRE[1] + Decimal("0.007") * (index % 4)
    asset = Asset(
        name=name, asset_type=kind, address=f"{street}\nExampletown", postcode=postcode,
        area_m2=Decimal(area), annual_running_cost=Decimal(cost) if cost else None,
        estimated_market_value=Decimal(value), current_use=use, condition=condition,
        description=f"{name}: {use.lower()}.", ward=WARDS[index % len(WARDS)],
        latitude=latitude, longitude=longitude,
        boundary=_square(latitude, longitude) if kind in OPEN_SPACE else None,
    )
    db.session.add(asset)
    return asset


def _square(latitude: Decimal, longitude: Decimal) -> dict:
    """A boundary about 150 m across around the point, as GeoJSON (longitude first)."""
    north, south = float(latitude) + 0.0007, float(latitude) - 0.0007
    east, west = float(longitude) + 0.0012, float(longitude) - 0.0012
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _organisation(name, form, charity, company, members, voters, lead) -> Organisation:
    organisation = Organisation(
        name=name, legal_form=form, charity_number=charity, company_number=company,
        address="c/o 10 Church Lane\nExampletown", postcode="EX1 5CD", member_count=members,
        local_voter_member_count=voters,
        community_definition="People who live or work in the Exampletown community council area",
        community_defined=True, majority_from_community=True, members_control=True,
        open_membership=True, community_benefit_aims=True, surplus_for_community=True,
    )
    organisation.memberships.append(Membership(user=lead, is_lead_contact=True))
    db.session.add(organisation)
    return organisation


# Where the demo leaves each application on its workflow's happy path (``walks``):
# (workflow, asset, group, state, steps taken after reaching that state).
APPLICATIONS = [
    ("council-cat", 2, 1, "eoi_draft", 0),
    ("council-cat", 3, 1, "eoi_submitted", 0),
    ("council-cat", 4, 0, "business_case", 0),
    ("council-cat", 1, 1, "assessment", 1),  # one officer has scored it
    ("council-cat", 10, 0, "heads_of_terms", 0),
    ("council-cat", 6, 1, "sign_off", 0),
    ("scotland-atr", 0, 0, "draft", 1),  # its constitution uploaded
    ("scotland-atr", 8, 0, "submitted", 0),
    ("scotland-atr", 9, 0, "representations", 0),
    ("england-acv", 7, 2, "listed", 0),
]


def _applications(assets, staff, groups):
    offered = workflows().offered
    officer, officer2 = staff[Role.OFFICER]
    council = {"officer": officer, "officer2": officer2,
               "decision_maker": staff[Role.DECISION_MAKER][0], "legal": staff[Role.LEGAL][0]}
    for workflow, asset, group, state, then in APPLICATIONS:
        if workflow in offered:
            organisation, lead = groups[group]
            application = begin(lead, workflow, assets[asset], organisation)
            walk(application, SimpleNamespace(applicant=lead, **council), state, then=then)
