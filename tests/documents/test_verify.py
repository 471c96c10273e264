"""/verify: anyone checks whether a PDF, or its SHA-256, is a document this council issued."""
import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assettransfer.documents import get_storage
from assettransfer.documents.party_signing import sign_pack
from assettransfer.extensions import db
from assettransfer.models import Application, Document, Signature
from assettransfer.services.public import copy_policy
from assettransfer.throttle import limiter

from .issuing import issue_documents, issue_legal_pack
from .test_party_signing import GROUP, LEGAL


def _upload(client, data: bytes, name="letter.pdf"):
    return client.post("/verify", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _page(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def _stored(app) -> list[Path]:
    return sorted(Path(app.config["STORAGE_DIR"]).rglob("*"))


def test_the_page_offers_an_upload_and_a_hash(client):
    page = _page(client.get("/verify"))
    assert 'type="file"' in page and 'name="file"' in page and 'name="sha256"' in page
    assert "We do not keep the file you upload" in page


def test_an_issued_letter_is_confirmed_with_its_case_and_version(app, client, letter):
    reference = db.session.get(Application, letter.application_id).reference
    before = _stored(app)
    response = _upload(client, get_storage(app).open(letter.stored_name))
    page = _page(response)
    assert response.status_code == 200
    assert "We issued this document" in page
    assert reference in page and "Eoi acknowledgement" in page
    assert "1 (current)" in page
    assert "Yes: unchanged since it was signed" in page and "Exampleshire Council" in page
    assert "(timestamped)" in page
    # Nothing of the upload was kept: no file, no row.
    assert _stored(app) == before
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 1


def test_a_letter_changed_by_one_byte_is_not_ours(app, client, letter):
    data = bytearray(get_storage(app).open(letter.stored_name))
    data[len(data) // 3] ^= 0x01
    page = _page(_upload(client, bytes(data)))
    assert "We did not issue this document" in page
    assert "We issued this document" not in page
    assert "No: the file was changed after it was signed" in page


def test_a_superseded_letter_says_which_version_replaced_it_and_when(
        app, client, case, record_event, tmp_path):
    application = case("council-cat")
    [first, second, _] = [
        issue_documents(application, ["information_request"],
                        record_event(application, "ask", at=datetime(2027, 3, day, 10, tzinfo=UTC)),
                        {"missing_items": ["Accounts"]})[0]
        for day in (3, 17, 24)]
    page = _page(_upload(client, get_storage(app).open(first.stored_name)))
    assert "We issued this document" in page
    assert ("This version has been superseded: version 2 replaced it on 17 March 2027. The current "
            "version is version 3. Ask for the current version.") in page
    assert "1 (superseded on 17 March 2027)" in page
    page = _page(_upload(client, get_storage(app).open(second.stored_name)))
    assert "version 3 replaced it on 24 March 2027. Ask for the current version." in page

    data = get_storage(app).open(first.stored_name)
    body = client.post("/api/v1/verify", data={"file": (io.BytesIO(data), "letter.pdf")},
                       content_type="multipart/form-data").get_json()["document"]
    assert (body["superseded"], body["replaced_by"], body["latest_version"]) == (True, 2, 3)
    issued = tmp_path / "letter.pdf"
    issued.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["documents", "verify-signatures", str(issued)])
    assert "version 1 (superseded on 2027-03-17 by version 2)" in result.output


def test_a_sha256_is_looked_up(app, client, letter):
    page = _page(client.post("/verify", data={"sha256": " " + letter.sha256.upper() + "\n"}))
    assert "We issued this document" in page and "1 (current)" in page
    assert "Signatures" not in page  # nothing to check without the file
    unknown = hashlib.sha256(b"not ours").hexdigest()
    page = _page(client.post("/verify", data={"sha256": unknown}))
    assert "We did not issue this SHA-256" in page


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Choose a PDF, or enter its SHA-256"),
    ({"sha256": "abc123"}, "Enter a SHA-256 as 64 characters"),
    ({"sha256": "g" * 64}, "Enter a SHA-256 as 64 characters"),
    ({"file": (io.BytesIO(b""), "empty.pdf")}, "The file is empty"),
    ({"file": (io.BytesIO(b"GIF89a not a pdf"), "picture.pdf")}, "The file must be a PDF"),
    ({"file": (io.BytesIO(b"%PDF-1.7\n garbage \x00\xff"), "broken.pdf")},
     "The file could not be read as a PDF"),
])
def test_bad_input_is_shown_on_the_page(app, client, data, message):
    before = _stored(app)
    response = client.post("/verify", data=data, content_type="multipart/form-data")
    page = _page(response)
    assert response.status_code == 422
    assert "There is a problem" in page and message in page
    assert _stored(app) == before


def test_too_big_a_file_is_refused_on_the_page(app, client, letter):
    app.config["VERIFY_MAX_BYTES"] = 1000
    response = _upload(client, get_storage(app).open(letter.stored_name))
    assert response.status_code == 422
    assert "The file must be smaller than 1,000 bytes" in _page(response)
    app.config["MAX_CONTENT_LENGTH"] = 2000  # over the request's own limit
    response = _upload(client, b"%PDF-" + b"x" * 5000)
    assert response.status_code == 413
    assert "The file must be smaller than" in _page(response)


def test_the_command_line_says_the_same(app, letter, tmp_path):
    runner = app.test_cli_runner()
    issued = tmp_path / "letter.pdf"
    issued.write_bytes(get_storage(app).open(letter.stored_name))
    result = runner.invoke(args=["documents", "verify-signatures", str(issued)])
    assert result.exit_code == 0, result.output
    reference = db.session.get(Application, letter.application_id).reference
    assert f"ISSUED: {reference}, Eoi acknowledgement (eoi_acknowledgement), version 1 (current)" \
        in result.output
    assert "VALID signature CouncilSeal by" in result.output and "(timestamped)" in result.output

    changed = bytearray(issued.read_bytes())
    changed[len(changed) // 3] ^= 0x01
    issued.write_bytes(bytes(changed))
    result = runner.invoke(args=["documents", "verify-signatures", str(issued)])
    assert result.exit_code == 1
    assert "NOT ISSUED" in result.output and "INVALID signature CouncilSeal" in result.output

    issued.write_bytes(b"plain text")
    result = runner.invoke(args=["documents", "verify-signatures", str(issued)])
    assert result.exit_code == 1 and "The file must be a PDF" in result.output


def test_the_api_says_the_same(app, client, letter):
    data = get_storage(app).open(letter.stored_name)
    response = client.post("/api/v1/verify", data={"file": (io.BytesIO(data), "letter.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    body = response.get_json()
    assert body["issued"] is True and body["signatures_valid"] is True
    assert body["sha256"] == letter.sha256
    assert body["document"]["version"] == 1 and body["document"]["superseded"] is False
    assert body["document"]["reference"] == db.session.get(
        Application, letter.application_id).reference
    [seal] = body["signatures"]
    assert seal["field"] == "CouncilSeal" and seal["valid"] and seal["timestamp_trusted"]

    response = client.post("/api/v1/verify", data={"sha256": letter.sha256},
                           content_type="multipart/form-data")
    assert response.get_json()["issued"] is True
    assert response.get_json()["signatures"] is None

    response = client.post("/api/v1/verify", data={"sha256": "nope"},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"][0]["field"] == "sha256"
    response = client.post("/api/v1/verify", data={"file": (io.BytesIO(b"text"), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "file",
                                              "message": "The file must be a PDF"}]


def test_a_published_copy_is_ours_and_says_it_is_the_copy(app, client, case, record_event):
    application = case("scotland-atr", state="refused")
    event = record_event(application, "refuse", {"reasons": "Not viable."})
    [notice] = issue_documents(application, ["decision_notice"], event,
                               {"reasons": "Not viable.", "decision": "refused"},
                               copy_policy(application))
    page = _page(_upload(client, get_storage(app).open(notice.public_stored_name)))
    assert "We issued this document" in page
    assert "the copy published on the register, with personal data left out" in page
    assert "Yes: unchanged since it was signed" in page


def test_a_signed_pack_shows_the_seal_and_each_persons_signature(app, client, case, lead,
                                                                 make):
    legal = make.UserFactory(legal=True, name="Lee Gal")
    pack = issue_legal_pack(case("council-cat", state="sign_off"), None)
    files = [get_storage(app).open(pack.stored_name)]
    for user, signer in ((lead, GROUP), (legal, LEGAL)):
        db.session.add(Signature(application_id=pack.application_id, document_id=pack.id,
                                 user_id=user.id, role="applicant" if user is lead else "legal",
                                 full_name=user.name, pack_sha256=sign_pack(pack, signer)))
        db.session.commit()
        files.append(get_storage(app).open(pack.stored_name))
    page = _page(_upload(client, files[-1], "pack.pdf"))
    assert "We issued this document" in page and "Someone has signed" not in page
    assert page.count("Yes: unchanged since it was signed") == 3
    for who in ("The council&#39;s seal", "Morag Campbell", "Lead contact", "Lee Gal",
                "Legal officer"):
        assert who in page, who
    body = client.post("/api/v1/verify", data={"file": (io.BytesIO(files[-1]), "pack.pdf")},
                       content_type="multipart/form-data").get_json()
    assert body["signatures_valid"] is True
    assert [(c["name"], c["role"]) for c in body["signatures"]][1:] == [
        ("Morag Campbell", "Lead contact"), ("Lee Gal", "Legal officer")]
    # The files before each signature are ours still, and say they have been signed since.
    for earlier in files[:-1]:
        page = _page(_upload(client, earlier, "pack.pdf"))
        assert "We issued this document" in page
        assert "Someone has signed this legal pack since this file was made" in page
    # One byte changed after signing: no longer ours, and no signature valid.
    changed = bytearray(files[-1])
    changed[len(changed) // 3] ^= 0x01
    page = _page(_upload(client, bytes(changed), "pack.pdf"))
    assert "We did not issue this document" in page
    assert "Yes: unchanged since it was signed" not in page


class TestThrottled:
    @pytest.fixture
    def config_overrides(self):
        return {"VERIFY_LIMIT_PER_ADDRESS": "2 per hour"}

    def test_the_third_check_in_an_hour_is_refused_on_the_page_and_the_api(self, client):
        limiter.reset()
        unknown = {"sha256": "0" * 64}
        assert [client.post("/verify", data=unknown).status_code for _ in range(2)] == [200, 200]
        refused = client.post("/verify", data=unknown)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        problem = client.post("/api/v1/verify", data=unknown, content_type="multipart/form-data")
        assert problem.status_code == 429
        assert problem.get_json()["detail"].startswith("Too many requests from your address")
        assert client.get("/verify").status_code == 200  # reading the page is not counted
