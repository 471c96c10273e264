"""Assets, organisations, eligibility and queues at the service layer."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import AssetStatus, AssetType, LegalForm
from assettransfer.services import assets, organisations, queues
from assettransfer.services.errors import NotAllowed, NotFound, ValidationFailed
from assettransfer.workflow.calendar import uk_today

ASSET = {"name": "Old Library", "asset_type": "library", "address": "1 Book St",
         "postcode": "eh11yz", "annual_running_cost": "12,500.50", "area_m2": 640}
GROUP = {"name": "Friends", "legal_form": "scio", "address": "1 Main St", "postcode": "EH1 1YZ",
         "member_count": 30, "local_voter_member_count": 25, "community_definition": "The village",
         "community_controlled": {"community_defined": True, "majority_from_community": True,
                                  "members_control": True, "open_membership": True,
                                  "community_benefit_aims": True, "surplus_for_community": True}}


@pytest.fixture
def officer(make):
    return make.UserFactory(officer=True)


def test_officer_creates_an_asset_with_cleaned_values(officer):
    asset = assets.create_asset(officer, ASSET)
    assert (asset.postcode, str(asset.annual_running_cost), asset.asset_type) == (
        "EH1 1YZ", "12500.50", AssetType.LIBRARY)
    assert asset.status is AssetStatus.AVAILABLE


def test_asset_errors_name_each_field(officer):
    with pytest.raises(ValidationFailed) as refused:
        assets.create_asset(officer, {"name": "", "asset_type": "castle", "address": "x",
                                      "postcode": "nowhere", "colour": "red"})
    assert {e.field for e in refused.value.errors} == {"name", "asset_type", "postcode", "colour"}


def test_applicants_cannot_change_the_register(make):
    with pytest.raises(NotAllowed):
        assets.create_asset(make.UserFactory(), ASSET)


def test_search_filters_and_pages(officer, make):
    for n in range(25):
        make.AssetFactory(name=f"Park {n:02d}")
    make.AssetFactory(name="Town Library", asset_type=AssetType.LIBRARY, postcode="EH2 3AB",
                      description="Reading rooms")
    page = assets.search_assets(q="park", page=2, per_page=10)
    assert ((page.total, page.pages, [a.name for a in page.items][:2])
            == (25, 3, ["Park 10", "Park 11"]))
    assert [a.name for a in assets.search_assets(asset_type="library").items] == ["Town Library"]
    assert [a.name for a in assets.search_assets(postcode="eh2").items] == ["Town Library"]
    with pytest.raises(ValidationFailed):
        assets.search_assets(asset_type="castle")


def test_csv_import_is_all_or_nothing(officer):
    good = "name,asset_type,address,postcode\nHall,community_centre,1 Hall Rd,EH1 1YZ\n"
    bad = good + "Shed,shed,2 Shed Rd,EH1 1YZ\nPark,park,3 Rd,not a postcode\n"
    with pytest.raises(ValidationFailed) as refused:
        assets.import_csv(officer, bad)
    assert [e.field for e in refused.value.errors] == ["row 3: asset_type", "row 4: postcode"]
    assert assets.search_assets().total == 0
    assert [a.name for a in assets.import_csv(officer, good)] == ["Hall"]


def test_withdrawing_an_asset(officer, make):
    asset = make.AssetFactory()
    assert assets.withdraw_asset(officer, asset).status is AssetStatus.WITHDRAWN


def test_organisation_created_with_its_founder_as_lead(make):
    founder = make.UserFactory()
    organisation = organisations.create_organisation(founder, GROUP)
    assert organisation.lead_contact == founder and organisation.is_community_controlled


def test_organisation_numbers_must_be_consistent(make):
    with pytest.raises(ValidationFailed) as refused:
        organisations.create_organisation(make.UserFactory(),
                                          GROUP | {"local_voter_member_count": 31})
    assert refused.value.errors[0].field == "local_voter_member_count"


def test_only_the_lead_adds_members_and_only_existing_applicants(make):
    lead, other, officer = make.UserFactory(), make.UserFactory(), make.UserFactory(officer=True)
    organisation = organisations.create_organisation(lead, GROUP)
    with pytest.raises(NotAllowed):
        organisations.add_member(other, organisation, lead.email)
    with pytest.raises(ValidationFailed):
        organisations.add_member(lead, organisation, officer.email)
    organisations.add_member(lead, organisation, other.email.upper())
    assert organisation.has_member(other)
    with pytest.raises(ValidationFailed, match="Already a member"):
        organisations.add_member(lead, organisation, other.email)


def test_organisations_are_hidden_from_non_members(make):
    organisation = organisations.create_organisation(make.UserFactory(), GROUP)
    with pytest.raises(NotFound):
        organisations.get_organisation(make.UserFactory(), organisation.id)
    assert (organisations.get_organisation(make.UserFactory(officer=True), organisation.id)
            == organisation)


def test_eligibility_explains_what_each_route_still_needs(make):
    organisation = make.OrganisationFactory(unincorporated=True, member_count=15,
                                            local_voter_member_count=15, members_control=False)
    by_route = {r.workflow_key: r for r in organisations.eligibility(organisation)}
    atr = by_route["scotland-atr"].unmet
    assert ("Your organisation must be able to answer yes to: "
            "Do those members have control of the body?") in atr
    assert "For ownership: A body asking to buy land needs at least 20 members; yours has 15" in atr
    assert by_route["england-acv"].unmet == (
        "An unincorporated group needs at least 21 members registered to vote in the area; "
        "yours has 15",)
    assert by_route["council-cat"].eligible


def test_queue_sorted_by_deadline_and_limited_to_members(make):
    group_user, officer = make.UserFactory(), make.UserFactory(officer=True)
    mine = make.OrganisationFactory(lead=group_user)
    soon = make.ApplicationFactory(organisation=mine, next_due_on=uk_today() + timedelta(days=2),
                                   state="eoi_submitted")
    late = make.ApplicationFactory(organisation=mine, next_due_on=uk_today() - timedelta(days=1),
                                   state="eoi_submitted")
    other = make.ApplicationFactory(state="eoi_submitted", next_due_on=uk_today())
    db.session.commit()
    assert [a.id for a in queues.list_applications(group_user).items] == [late.id, soon.id]
    council = queues.list_applications(officer)
    assert [a.id for a in council.items] == [late.id, other.id, soon.id]
    assert [a.id for a in queues.list_applications(officer, overdue=True).items] == [late.id]
    assert ([a.id for a in queues.list_applications(officer, due_within_days=1).items]
            == [late.id, other.id])
    assert queues.list_applications(officer, awaiting_role="officer").total == 3
    assert queues.list_applications(officer, awaiting_role="legal").total == 0
    with pytest.raises(ValidationFailed):
        queues.list_applications(officer, due_within_days="soon")


def test_legal_form_enum_is_enforced_by_the_database(make):
    organisation = make.OrganisationFactory()
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(db.text("UPDATE organisations SET legal_form = 'cult' WHERE id = :id"),
                           {"id": organisation.id})
        db.session.commit()
    db.session.rollback()
    assert db.session.get(type(organisation), organisation.id).legal_form is LegalForm.SCIO
