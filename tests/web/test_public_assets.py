"""The asset register: search, filters, pagination, an asset's page and starting from it."""

import re

import pytest

from assettransfer.extensions import db
from assettransfer.models import AssetStatus, AssetType
from assettransfer.services.actions import take_action
from tests.web.conftest import CHEAP_ARGON2, error_links, error_summary


def result_names(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<a class="govuk-link" href="/assets/\d+">([^<]+)</a>', html)


@pytest.fixture
def register(make):
    make.AssetFactory(name="Carnegie Library", asset_type=AssetType.LIBRARY, postcode="EX2 4EF",
                      description="A Victorian library")
    make.AssetFactory(name="Eastfield Centre", asset_type=AssetType.COMMUNITY_CENTRE,
                      postcode="EX3 1GH", status=AssetStatus.UNDER_APPLICATION)
    make.AssetFactory(name="Market Toilets", asset_type=AssetType.PUBLIC_TOILETS,
                      postcode="EX1 1NP", status=AssetStatus.TRANSFERRED)
    db.session.commit()


class TestRegister:
    def test_anyone_can_list_every_asset_by_name(self, client, register, page):
        response = client.get("/assets")
        assert response.status_code == 200
        assert result_names(response) == ["Carnegie Library", "Eastfield Centre", "Market Toilets"]
        text = page(response)
        assert "Asset register – Test Council" in text and "3 assets" in text
        assert "Under application" in text and "Transferred" in text

    @pytest.mark.parametrize("query, names", [
        ({"q": "victorian"}, ["Carnegie Library"]),
        ({"q": "LIBRARY"}, ["Carnegie Library"]),
        ({"asset_type": "community_centre"}, ["Eastfield Centre"]),
        ({"status": "transferred"}, ["Market Toilets"]),
        ({"postcode": "ex3"}, ["Eastfield Centre"]),
        ({"postcode": "EX1 1NP"}, ["Market Toilets"]),
        ({"q": "nothing like this"}, []),
    ])
    def test_search_and_filters(self, client, register, query, names):
        response = client.get("/assets", query_string=query)
        assert response.status_code == 200
        assert result_names(response) == names

    def test_no_results_says_so(self, client, register, page):
        text = page(client.get("/assets?q=zzz"))
        assert "0 assets found" in text and "No assets match your search" in text
        assert "Clear search and filters" in text

    def test_filters_are_kept_in_the_form(self, client, register):
        html = client.get("/assets?q=lib&asset_type=library").get_data(as_text=True)
        assert 'value="lib"' in html
        assert re.search(r'<option value="library" selected', html)

    @pytest.mark.parametrize("query, field", [
        ({"asset_type": "castle"}, "asset_type"), ({"status": "sold"}, "status"),
    ])
    def test_unknown_filter_values_are_errors_not_empty_pages(self, client, register, query, field):
        response = client.get("/assets", query_string=query)
        assert response.status_code == 200
        assert error_summary(response) and error_links(response) == [f"#{field}"]
        assert result_names(response) == []

    def test_pagination_keeps_the_filters(self, app, client, make):
        app.config["PAGE_SIZE"] = 2
        for n in range(5):
            make.AssetFactory(name=f"Park {n}", asset_type=AssetType.PARK)
        make.AssetFactory(name="A library", asset_type=AssetType.LIBRARY)
        db.session.commit()
        first = client.get("/assets?asset_type=park")
        assert result_names(first) == ["Park 0", "Park 1"]
        html = first.get_data(as_text=True)
        assert 'href="/assets?page=2&amp;asset_type=park" rel="next"' in html
        assert result_names(client.get("/assets?asset_type=park&page=3")) == ["Park 4"]
        # A page number that makes no sense is clamped, never an error.
        assert client.get("/assets?page=abc").status_code == 200

    def test_search_form_is_a_get_form_with_labels(self, client):
        html = client.get("/assets").get_data(as_text=True)
        assert re.search(r'<form method="get" action="/assets"', html)
        for field in ("q", "asset_type", "status", "postcode"):
            assert re.search(rf'<label class="govuk-label[^"]*" for="{field}">', html), field


class TestAssetPage:
    def test_details(self, client, asset, page):
        response = client.get(f"/assets/{asset.id}")
        assert response.status_code == 200
        text = page(response)
        for words in ("Riverside Park Pavilion", "A riverside park with a pavilion",
                      "Public park with a pavilion", "Fair; pavilion roof needs work",
                      "£18,500.00", "12,500 square metres", "EX1 3CD",
                      "No request for this asset is in progress"):
            assert words in text, words

    def test_missing_asset_is_404(self, client):
        assert client.get("/assets/999999").status_code == 404

    def test_anonymous_visitors_are_asked_to_sign_in(self, client, asset):
        html = client.get(f"/assets/{asset.id}").get_data(as_text=True)
        assert f'href="/account/sign-in?next=/assets/{asset.id}"' in html
        assert "Start application" not in html

    def test_a_member_chooses_among_the_routes_offered(self, client, login_as, applicant,
                                                       organisation, asset, page):
        login_as(applicant)
        response = client.get(f"/assets/{asset.id}")
        html = response.get_data(as_text=True)
        assert f'action="/applications/start/{asset.id}"' in html
        for key in ("scotland-atr", "england-acv", "council-cat"):
            assert f'value="{key}"' in html
        # One organisation: no question about which.
        assert 'type="hidden" name="organisation"' in html
        assert "You are applying for Friends of Riverside" in page(response)

    def test_only_the_routes_the_council_offers(self, app, client, login_as, applicant,
                                                organisation, asset):
        app.extensions["workflows"].offered = ["council-cat"]
        login_as(applicant)
        html = client.get(f"/assets/{asset.id}").get_data(as_text=True)
        assert 'value="council-cat"' in html and 'value="scotland-atr"' not in html

    def test_without_an_organisation_you_register_one_first(self, client, login_as, applicant,
                                                            asset):
        login_as(applicant)
        html = client.get(f"/assets/{asset.id}").get_data(as_text=True)
        assert f'href="/organisations/new?next=/assets/{asset.id}"' in html

    def test_council_staff_see_no_start_form(self, client, login_as, officer, asset, page):
        login_as(officer)
        response = client.get(f"/assets/{asset.id}")
        assert "Start application" not in response.get_data(as_text=True)

    def test_a_transferred_asset_is_closed(self, client, login_as, applicant, organisation, make):
        closed = make.AssetFactory(status=AssetStatus.TRANSFERRED)
        db.session.commit()
        login_as(applicant)
        html = client.get(f"/assets/{closed.id}").get_data(as_text=True)
        assert "not open to new requests" in html and "Start application" not in html

    def test_live_requests_are_shown(self, client, start, applicant, asset, page):
        application = start("council-cat", answers=True)
        take_action(applicant, application, "submit_eoi")
        db.session.commit()
        text = page(client.get(f"/assets/{asset.id}"))
        assert "A request for this asset is in progress" in text
        assert "Community asset transfer, sent" in text
        assert "Friends of Riverside" not in text  # who is asking is not public


class TestBranding:
    @pytest.fixture
    def config_overrides(self):
        return {"ARGON2_PARAMS": CHEAP_ARGON2, "AUTHORITY_NAME": "Glenbrae Council"}

    def test_register_names_the_authority(self, client, page):
        assert "buildings and land Glenbrae Council owns" in page(client.get("/assets"))
