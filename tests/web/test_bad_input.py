"""Input no page can use gets a 400 page saying so, before any view sees it (``web/input.py``);
a page number of any size shows a page. ``test_fuzz_forms`` sends the same values everywhere;
these name the cases found."""
import io

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import ApiToken, Attachment
from assettransfer.services.records import MAX_ID, page_bounds

UNREADABLE = "What you sent could not be read"


@pytest.mark.parametrize("query", [
    {"q": "lib\x00rary"}, {"postcode": "\x00"}, {"asset_type": "library\x00"},
    {"page": "\x00"}, {"q": ["ok", "\x00"]},
])
def test_a_nul_in_the_public_register_search_is_a_400_page(client, query, page):
    response = client.get("/assets", query_string=query)
    assert response.status_code == 400
    assert UNREADABLE in page(response)


def test_a_nul_in_a_council_filter_is_a_400_page(client, login_as, officer, page):
    login_as(officer)
    response = client.get("/council/", query_string={"state": "draft\x00"})
    assert response.status_code == 400
    assert UNREADABLE in page(response)


def test_a_nul_in_a_token_name_is_a_400_and_no_token(client, login_as, applicant, page):
    login_as(applicant)
    response = client.post("/account/tokens", data={"name": "Finance\x00import"})
    assert response.status_code == 400
    assert UNREADABLE in page(response)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_a_nul_in_an_upload_filename_is_a_400_and_no_file(client, login_as, applicant, start):
    application = start()
    login_as(applicant)
    response = client.post(
        f"/applications/{application.id}/files",
        data={"kind": "constitution", "file": (io.BytesIO(b"%PDF-1.4\n"), "consti\x00tution.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


@pytest.mark.parametrize("number", ["9" * 20, "-" + "9" * 20, str(MAX_ID), "1" * 5000])
def test_a_page_number_of_any_size_shows_a_page(client, number):
    assert client.get("/assets", query_string={"page": number}).status_code == 200


def test_page_numbers_are_clamped_so_the_offset_fits_the_database():
    page, per_page = page_bounds("9" * 20, 100)
    assert page * per_page <= MAX_ID
    assert page_bounds("0", "0") == (1, 1)
