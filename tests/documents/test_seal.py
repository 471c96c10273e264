"""The council's seal on issued documents: PAdES B-T signatures that pyHanko's validator accepts
against the council's trust roots, and that break when the file is changed."""
import asyncio
import io
import stat

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from flask import Flask
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter

from assettransfer.documents import get_storage
from assettransfer.documents import seal as seal_module
from assettransfer.documents.seal import (
    SEAL_FIELD,
    check_signatures,
    get_seal,
    seal_description,
    seal_pdf,
)
from assettransfer.documents.seal_keys import (
    CA_FILES,
    CA_FOLDER,
    DEVELOPMENT_UNIT,
    SEAL_FILES,
    TIMESTAMP_FILES,
    development_folder,
)
from assettransfer.extensions import db
from assettransfer.models import Application

from .issuing import issue_legal_pack


def _trust_roots(app):
    """The council's seal certificate and its timestamping certificate, as files hold them."""
    folder = development_folder(app.instance_path, app.config["AUTHORITY_NAME"])
    return [asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate((folder / name).read_bytes()).public_bytes(
            serialization.Encoding.DER))
        for name in (SEAL_FILES[1], TIMESTAMP_FILES[1])]


def _pyhanko_status(app, data):
    context = ValidationContext(trust_roots=_trust_roots(app), allow_fetching=False)
    [signature] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return signature, validate_pdf_signature(signature, signer_validation_context=context,
                                             ts_validation_context=context)


def test_an_issued_letter_carries_a_valid_timestamped_seal(app, letter):
    data = get_storage(app).open(letter.stored_name)
    signature, status = _pyhanko_status(app, data)
    assert signature.field_name == SEAL_FIELD
    assert status.bottom_line and status.intact and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert "Exampleshire Council" in status.signing_cert.subject.human_friendly
    # B-T: a signature timestamp, from a timestamping certificate the council trusts.
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.valid and status.timestamp_validity.trusted
    # The PAdES profile (ETSI.CAdES.detached), not the older adbe.pkcs7.detached.
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_the_recorded_hash_is_of_the_sealed_file(app, letter):
    data = get_storage(app).open(letter.stored_name)
    assert b"/ETSI.CAdES.detached" in data
    assert check_signatures(app, data)[0].valid


def test_sealed_and_checked_in_a_thread_whose_event_loop_is_running(app, letter):
    """pyHanko's synchronous API starts an event loop of its own; an async server's thread (or
    Playwright's in a browser test) already runs one, and a seal must still be made there."""
    unsealed = PdfWriter()
    unsealed.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    unsealed.write(buffer)

    async def in_the_loop():
        sealed = seal_pdf(app, buffer.getvalue())
        return sealed, check_signatures(app, sealed)

    sealed, [check] = asyncio.run(in_the_loop())
    assert check.valid and check.field == SEAL_FIELD
    assert sealed.startswith(buffer.getvalue())


def test_one_byte_changed_breaks_the_seal(app, letter):
    data = bytearray(get_storage(app).open(letter.stored_name))
    data[len(data) // 3] ^= 0x01  # inside the letter's own content, which the seal covers
    [check] = check_signatures(app, bytes(data))
    assert not check.valid and not check.intact
    _, status = _pyhanko_status(app, bytes(data))
    assert not status.bottom_line


def test_a_signature_from_another_key_is_not_trusted(app, letter, tmp_path):
    stranger = Flask("stranger", instance_path=str(tmp_path / "stranger"))
    stranger.config["AUTHORITY_NAME"] = "Exampleshire Council"  # the name, not the key
    writer = PdfWriter()  # the letter's pages, without its seal
    writer.append(PdfReader(io.BytesIO(get_storage(app).open(letter.stored_name))))
    writer.root_object.pop("/AcroForm", None)
    writer.pages[0].pop("/Annots", None)
    out = io.BytesIO()
    writer.write(out)
    forged = seal_pdf(stranger, out.getvalue())
    [check] = check_signatures(app, forged)
    assert check.intact and not check.trusted and not check.valid


def test_the_legal_pack_is_sealed_and_binds_its_letters_without_their_broken_seals(
        app, letter):
    pack = issue_legal_pack(db.session.get(Application, letter.application_id), None)
    data = get_storage(app).open(pack.stored_name)
    signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert [s.field_name for s in signatures] == [SEAL_FIELD]  # the pack's own, only
    _, status = _pyhanko_status(app, data)
    assert status.bottom_line and status.coverage.name == "ENTIRE_FILE"


def test_the_development_key_is_made_once_and_reused(tmp_path):
    app = Flask("council", instance_path=str(tmp_path / "instance"))
    app.config["AUTHORITY_NAME"] = "The Council Whose Name Is Longer Than X.509's 64 Characters" * 2
    seal = get_seal(app)
    folder = development_folder(str(tmp_path / "instance"), app.config["AUTHORITY_NAME"])
    key_file = folder / SEAL_FILES[0]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / TIMESTAMP_FILES[0]).stat().st_mode) == 0o600
    assert DEVELOPMENT_UNIT in seal.pair.cert.subject.human_friendly  # says what it is
    made = key_file.read_bytes(), (folder / SEAL_FILES[1]).read_bytes()

    # Another process (the loaded seal is per process and settings): the same files, reused.
    seal_module._seals.clear()
    again = get_seal(app)
    assert (key_file.read_bytes(), (folder / SEAL_FILES[1]).read_bytes()) == made
    assert again.pair.cert.dump() == seal.pair.cert.dump()
    assert sorted(p.name for p in folder.iterdir()) == sorted(SEAL_FILES + TIMESTAMP_FILES)

    # Another authority in the same instance folder gets pairs naming it, beside these.
    app.config["AUTHORITY_NAME"] = "Exampleshire Council"
    other = get_seal(app)
    assert "Exampleshire Council" in other.pair.cert.subject.human_friendly
    assert key_file.read_bytes() == made[0]


@pytest.mark.parametrize("form", ["pkcs12", "pem"])
def test_a_configured_key_seals_and_nothing_is_made_in_the_instance_folder(tmp_path, form):
    made = Flask("elsewhere", instance_path=str(tmp_path / "keys"))
    made.config["AUTHORITY_NAME"] = "Exampleshire Council"
    get_seal(made)  # a key and certificate pair, a timestamping pair and a CA, to configure
    keys = development_folder(str(tmp_path / "keys"), "Exampleshire Council")
    authority = development_folder(str(tmp_path / "keys"), "Exampleshire Council", CA_FOLDER)
    app = Flask("council", instance_path=str(tmp_path / "instance"))
    app.config.update(AUTHORITY_NAME="Exampleshire Council",
                      SEAL_TSA_KEY_PATH=str(keys / TIMESTAMP_FILES[0]),
                      SEAL_TSA_CERT_PATH=str(keys / TIMESTAMP_FILES[1]),
                      SIGNING_CA_KEY_PATH=str(authority / CA_FILES[0]),
                      SIGNING_CA_CERT_PATH=str(authority / CA_FILES[1]))
    if form == "pkcs12":
        key = serialization.load_pem_private_key((keys / SEAL_FILES[0]).read_bytes(), None)
        cert = x509.load_pem_x509_certificate((keys / SEAL_FILES[1]).read_bytes())
        (tmp_path / "seal.p12").write_bytes(pkcs12.serialize_key_and_certificates(
            b"seal", key, cert, None, serialization.BestAvailableEncryption(b"secret")))
        app.config.update(SEAL_PKCS12_PATH=str(tmp_path / "seal.p12"),
                          SEAL_PKCS12_PASSWORD="secret")
    else:
        app.config.update(SEAL_KEY_PATH=str(keys / SEAL_FILES[0]),
                          SEAL_CERT_PATH=str(keys / SEAL_FILES[1]))
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    [check] = check_signatures(app, seal_pdf(app, out.getvalue()))
    assert check.valid and check.timestamp_trusted
    assert seal_description(app)["key"] == seal_description(app)["signing_authority"] \
        == "configured"
    assert not (tmp_path / "instance").exists()
