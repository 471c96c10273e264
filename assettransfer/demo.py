"""A realistic demo authority: assets, community groups, staff, and applications at many stages.

Everything is made through the services, so the demo's events, deadlines and documents are real.
"""
import io
from datetime import date, timedelta
from decimal import Decimal

from pypdf import PdfWriter

from .extensions import db
from .models import Asset, AssetType, LegalForm, Membership, Organisation, Role
from .services import accounts, casework
from .services.actions import take_action
from .services.applications import save_answers, start_application
from .services.attachments import add_attachment
from .workflow import workflows

ASSETS = [
    ("Riverside Park Pavilion", AssetType.PARK, "Riverside Road", "EX1 3CD", 12500, 18500, 250000,
     "Public park with a closed pavilion", "Pavilion roof leaks; park well kept"),
    ("Carnegie Library, Mill Street", AssetType.LIBRARY, "14 Mill Street", "EX2 4EF", 640, 41000, 380000,
     "Branch library open two days a week", "Listed building; needs rewiring"),
    ("Eastfield Community Centre", AssetType.COMMUNITY_CENTRE, "2 Eastfield Way", "EX3 1GH", 900, 36500,
     420000, "Hall hire and youth club", "Good; heating replaced 2021"),
    ("Hillside Bowling Green", AssetType.SPORTS_GROUND, "Hillside Avenue", "EX2 9JK", 3100, 9800, 90000,
     "Bowling club on an annual licence", "Green in good order; clubhouse tired"),
    ("Station Road Allotments", AssetType.ALLOTMENTS, "Station Road", "EX4 2LM", 8200, 4200, 60000,
     "48 plots, waiting list of 60", "Fencing and water supply need work"),
    ("Market Square Toilets", AssetType.PUBLIC_TOILETS, "Market Square", "EX1 1NP", 45, 22000, 35000,
     "Public toilets, closed in winter", "Poor; not accessible"),
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

ORGANISATIONS = [  # name, legal form, charity, company, members, local voters, lead contact
    ("Friends of Riverside Park", LegalForm.SCIO, "SC051234", None, 64, 58, "Priya Shah"),
    ("Eastfield Community Trust", LegalForm.COMPANY_LIMITED_BY_GUARANTEE, None, "SC612345", 132, 120,
     "Tom Reid"),
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

def blank_pdf() -> bytes:
    """A one-page PDF standing for a group's uploaded document."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_empty() -> bool:
    return db.session.query(Asset.id).first() is None and db.session.query(Organisation.id).first() is None


def seed(password: str) -> list[tuple[str, str, str]]:
    """Fill an empty database; return (role, email, name) of every account made."""
    assets = [_asset(*row) for row in ASSETS]
    staff = {}
    for email, name, role in STAFF:
        staff.setdefault(role, []).append(accounts.create_user(email, name, role, password))
    groups = []
    for index, (name, form, charity, company, members, voters, person) in enumerate(ORGANISATIONS, 1):
        lead = accounts.create_user(f"group{index}@demo.example", person, Role.APPLICANT, password)
        groups.append((_organisation(name, form, charity, company, members, voters, lead), lead))
    db.session.flush()
    _applications(assets, staff, groups)
    accounts_made = [(r.value, u.email, u.name) for r, users in staff.items() for u in users]
    return accounts_made + [("applicant", lead.email, lead.name) for _, lead in groups]


def _asset(name, kind, street, postcode, area, cost, value, use, condition) -> Asset:
    asset = Asset(
        name=name, asset_type=kind, address=f"{street}\nExampletown", postcode=postcode,
        area_m2=Decimal(area), annual_running_cost=Decimal(cost) if cost else None,
        estimated_market_value=Decimal(value), current_use=use, condition=condition,
        description=f"{name}: {use.lower()}.",
    )
    db.session.add(asset)
    return asset


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


CAT_ANSWERS = {
    "proposal": {"summary": "Reopen the building as a community hub with a café.", "transfer_type": "lease",
                 "lease_years": 25, "community_need": "No other meeting space within two miles."},
    "contact": {"contact_name": "Group lead", "contact_email": "hello@demo.example"},
    "business_case": {"services": "Café, youth club, advice sessions, room hire.",
                      "evidence_of_need": "Survey of 412 residents; 38 letters of support.",
                      "income_year1": "42000", "costs_year1": "39500", "funding_secured": "15000",
                      "offered_price_or_rent": "1"},
    "governance": {"management": "Nine trustees and a part-time manager.",
                   "skills": "Trustees include an accountant and a surveyor.", "insurance": True},
}
ATR_ANSWERS = {
    "land": {"land_description": "The pavilion and the land within the park fence.",
             "request_type": "lease", "lease_years": 25},
    "reasons": {"reasons": "To reopen the pavilion for the community.",
                "benefits": "Health walks, a café, and a base for park volunteers.",
                "community_support": "600 signatures and the community council's support."},
    "terms": {"price_or_rent": "1", "funding": "Lottery grant and café income."},
    "governance": {"constitution_summary": "Clause 3 defines the community.",
                   "contact_name": "Group lead", "contact_email": "hello@demo.example"},
}
ACV_ANSWERS = {
    "land": {"description": "The Red Lion public house and its garden.",
             "boundaries": "The pub building, car park and beer garden.",
             "owners": "Brewery Holdings Ltd, 1 King Street, Leeds"},
    "value": {"reasons": "The only pub and meeting place in the village.",
              "current_use": "Quiz nights, darts league, parish meetings."},
    "eligibility": {"local_connection": True, "connection_details": "All members live in the parish."},
}
SCORES = {"community_benefit": 4, "financial_sustainability": 3, "governance_capacity": 4,
          "deliverability": 3, "value_for_money": 4}


def _walk(application, steps):
    for user, action, data in steps:
        take_action(user, application, action, data=data)


def _applications(assets, staff, groups):
    offered = workflows().offered
    officer, officer2 = staff[Role.OFFICER]
    decider, legal = staff[Role.DECISION_MAKER][0], staff[Role.LEGAL][0]
    (riverside, lead1), (eastfield, lead2), (red_lion, lead3) = groups
    if "council-cat" in offered:
        stages = [
            (assets[2], eastfield, lead2, 0),   # eoi_draft
            (assets[3], eastfield, lead2, 1),   # eoi_submitted
            (assets[4], riverside, lead1, 2),   # business_case
            (assets[1], eastfield, lead2, 4),   # assessment, one officer scored
            (assets[10], riverside, lead1, 6),  # heads_of_terms
            (assets[6], eastfield, lead2, 8),   # sign_off
        ]
        for asset, organisation, lead, depth in stages:
            app = start_application(lead, "council-cat", asset, organisation)
            save_answers(lead, app, CAT_ANSWERS, None)
            steps = [(lead, "submit_eoi", {}), (officer, "accept_eoi", {"message": "Please send a business case."})]
            _walk(app, steps[:depth])
            if depth >= 3:
                for kind in ("business_plan", "accounts", "constitution"):
                    add_attachment(lead, app, kind, f"{kind}.pdf", blank_pdf())
                _walk(app, [(lead, "submit_application", {}), (officer, "start_assessment", {})])
                casework.save_assessment(officer, app, SCORES, {"community_benefit": "Strong local support."})
            if depth >= 6:
                casework.save_assessment(officer2, app, SCORES, {"deliverability": "Plan is realistic."})
                _walk(app, [
                    (officer, "recommend", {"recommendation": "approve", "summary": "Scores 72%; approve."}),
                    (decider, "approve", {"transfer_type": "lease", "term_years": 25, "rent_or_price": "1",
                                          "conditions": "Community use; annual monitoring return.",
                                          "reasons": "Meets the council's priorities."}),
                ])
            if depth >= 8:
                _walk(app, [(lead, "agree_heads_of_terms", {}), (legal, "issue_legal_pack", {})])
    if "scotland-atr" in offered:
        for asset, depth in ((assets[0], 0), (assets[8], 1), (assets[9], 3)):
            app = start_application(lead1, "scotland-atr", asset, riverside)
            save_answers(lead1, app, ATR_ANSWERS, None)
            add_attachment(lead1, app, "constitution", "constitution.pdf", blank_pdf())
            today = date.today()
            _walk(app, [
                (lead1, "submit", {}),
                (officer, "validate", {"validation_date": (today - timedelta(days=20)).isoformat()}),
                (officer, "publish_notice", {"notice_date": (today - timedelta(days=10)).isoformat()}),
            ][:depth])
    if "england-acv" in offered:
        app = start_application(lead3, "england-acv", assets[7], red_lion)
        save_answers(lead3, app, ACV_ANSWERS, None)
        _walk(app, [(lead3, "submit", {}), (officer, "list", {"reasons": "The only pub in the village."})])
