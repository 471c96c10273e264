"""The parties' signatures of a legal pack: approval signatures added after the seal by
incremental updates, each certified by the app's signing authority, which pyHanko's validator
accepts against the council's trust roots, and which any later change breaks."""
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from assettransfer.documents import get_storage
from assettransfer.documents.party_signing import PartySigner, sign_pack
from assettransfer.documents.records import sha256_hex
from assettransfer.documents.seal import SEAL_FIELD, check_signatures
from assettransfer.documents.seal_keys import (
    CA_FILES,
    CA_FOLDER,
    SEAL_FILES,
    TIMESTAMP_FILES,
    development_ca,
    development_folder,
)
from assettransfer.extensions import db

from .issuing import issue_legal_pack

GROUP = PartySigner("Morag Campbell", "Lead contact", "Friends of Riverside Park",
                    "Signature-lead-contact")
LEGAL = PartySigner("Lee Gal", "Legal officer", "Exampleshire Council", "Signature-legal")


def _trust_roots(app):
    """The seal's, the timestamps' and the signing authority's certificates, as files hold them."""
    authority = app.config["AUTHORITY_NAME"]
    seal = development_folder(app.instance_path, authority)
    files = [seal / SEAL_FILES[1], seal / TIMESTAMP_FILES[1],
             development_folder(app.instance_path, authority, CA_FOLDER) / CA_FILES[1]]
    return [asn1_x509.Certificate.load(x509.load_pem_x509_certificate(path.read_bytes())
                                       .public_bytes(serialization.Encoding.DER))
            for path in files]


def _statuses(app, data):
    context = ValidationContext(trust_roots=_trust_roots(app), allow_fetching=False)
    return [(signature.field_name, validate_pdf_signature(
                signature, signer_validation_context=context, ts_validation_context=context))
            for signature in PdfFileReader(io.BytesIO(data)).embedded_signatures]


@pytest.fixture
def signed(app, case):
    pack = issue_legal_pack(case("council-cat", state="legal_drafting"), None)
    first = pack.sha256
    sign_pack(pack, GROUP)
    middle = pack.sha256
    sign_pack(pack, LEGAL)
    db.session.commit()
    return pack, first, middle


def test_a_pack_signed_by_the_group_and_legal_carries_the_seal_and_both_signatures(app, signed):
    pack, first, middle = signed
    data = get_storage(app).open(pack.stored_name)
    statuses = _statuses(app, data)
    assert [field for field, _ in statuses] == [SEAL_FIELD, GROUP.field, LEGAL.field]
    for _, status in statuses:
        assert status.bottom_line and status.intact and status.trusted
        assert status.timestamp_validity.valid and status.timestamp_validity.trusted
    # The seal and the group's signature stay valid: what came after them only added signatures.
    assert [status.coverage.name for _, status in statuses][-1] == "ENTIRE_FILE"
    assert all(status.docmdp_ok for _, status in statuses[:2])
    # The app's own check says the same, with who signed in which role.
    checks = check_signatures(app, data)
    assert all(check.valid for check in checks)
    assert [(check.name, check.role) for check in checks] == [
        ("Exampleshire Council seal", ""), ("Morag Campbell", "Lead contact"),
        ("Lee Gal", "Legal officer")]


def test_each_signature_adds_to_the_file_and_never_rewrites_it(app, signed):
    pack, first, middle = signed
    storage = get_storage(app)
    by_hash = {sha256_hex(data): data for data in map(storage.open, storage.names())}
    sealed, once, twice = by_hash[first], by_hash[middle], by_hash[pack.sha256]
    assert once.startswith(sealed) and twice.startswith(once)
    assert pack.size == len(twice)


def test_the_certificate_names_the_person_their_role_and_party(app, signed):
    pack, _, _ = signed
    _, status = _statuses(app, get_storage(app).open(pack.stored_name))[1]
    subject = status.signing_cert.subject.native
    assert subject["common_name"] == "Morag Campbell"
    assert subject["title"] == subject["organizational_unit_name"] == "Lead contact"
    assert subject["organization_name"] == "Friends of Riverside Park"
    assert "signing authority" in status.signing_cert.issuer.native["common_name"]


def test_one_byte_changed_after_signing_breaks_every_signature(app, signed):
    pack, _, _ = signed
    data = bytearray(get_storage(app).open(pack.stored_name))
    data[len(data) // 3] ^= 0x01  # in the pack's content, which every signature covers
    assert not any(check.valid for check in check_signatures(app, bytes(data)))


def test_a_signature_certified_by_another_authority_is_not_trusted(app, case, tmp_path):
    pack = issue_legal_pack(case("council-cat", state="legal_drafting"), None)
    other = development_ca(str(tmp_path), "Another Council")
    folder = development_folder(str(tmp_path), "Another Council", CA_FOLDER)
    app.config.update(SIGNING_CA_KEY_PATH=str(folder / CA_FILES[0]),
                      SIGNING_CA_CERT_PATH=str(folder / CA_FILES[1]))
    sign_pack(pack, GROUP)
    app.config.update(SIGNING_CA_KEY_PATH=None, SIGNING_CA_CERT_PATH=None)
    seal, group = check_signatures(app, get_storage(app).open(pack.stored_name))
    assert seal.valid
    assert group.intact and not group.trusted and not group.valid
    assert "Another Council" in other.cert.subject.human_friendly
