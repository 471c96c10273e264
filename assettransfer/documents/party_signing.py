"""A party's signature of a legal pack, added to the pack's PDF after the council's seal.

    SIGNATORIES: the roles that sign a pack, as its sign-off sheet names them
    sign_pack(document, signer) -> str     adds the signature; returns the SHA-256 it signed
    sign_for_party(app, data, signer) -> bytes     the PDF with the person's signature added

Each signature is a PAdES approval signature (timestamped as the seal is) added by an incremental
update: the bytes before it, and so the seal and every earlier signature, are left as they were,
and any later change to the file shows as a change after each of them.

The certificate is made for the one signature: a new key (ECDSA P-256, never stored) certified by
the app's signing authority (``Seal.signing_authority``: ``SIGNING_CA_KEY_PATH`` and
``SIGNING_CA_CERT_PATH``, or a development CA in the instance folder), naming the person (common
name: the account's name), the role they sign in (title and organisational unit) and the party
they sign for (organisation). The service checks who they are (password, and a second factor for
council staff who use one) before it asks for the signature.
"""

import datetime
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask, current_app
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError

from ..extensions import db
from ..models import Document, Role
from .errors import RenderError
from .records import read_document, sha256_hex
from .seal import _ParsedKeySigner, get_seal, outside_event_loop
from .seal_keys import KeyPair, asn1_certificate
from .storage import document_name, store

# Who must sign a legal pack before the transfer completes, each once, and the role the sign-off
# sheet and the certificate name them by: the group's lead contact, and the council's legal team.
SIGNATORIES = {Role.APPLICANT: "Lead contact", Role.LEGAL: "Legal officer"}
X520_MAX = 64  # characters in each part of a certificate's name


@dataclass(frozen=True)
class PartySigner:
    name: str  # the account's name
    role: str  # the role they sign in, as the sign-off sheet names it
    party: str  # whom they sign for: the council or the group
    field: str  # the PDF signature field, one per signatory


def _certificate(authority: KeyPair, key, signer: PartySigner) -> x509.Certificate:
    issuer = x509.load_der_x509_certificate(authority.cert.dump())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, signer.name[:X520_MAX]),
        x509.NameAttribute(NameOID.TITLE, signer.role[:X520_MAX]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, signer.role[:X520_MAX]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, signer.party[:X520_MAX]),
    ])
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        # As long as the authority's own: a signature is checked long after it is made.
        .not_valid_after(issuer.not_valid_after_utc)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuer.public_key()), critical=False)
        .sign(authority.key, hashes.SHA256())
    )


def sign_for_party(app: Flask, data: bytes, signer: PartySigner) -> bytes:
    """``data`` (a sealed pack) with ``signer``'s signature added; raise ``RenderError``."""
    seal = get_seal(app)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(seal.signing_authority, key, signer)
    pair = KeyPair(key, asn1_certificate(cert), [seal.signing_authority.cert,
                                      *seal.signing_authority.chain])
    metadata = signers.PdfSignatureMetadata(
        field_name=signer.field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        name=signer.name, reason=f"Signed as {signer.role} for {signer.party}")
    # Room for the signature, as the seal's (``Seal.reserve``), so pyHanko need not sign twice
    # to measure it; with an outside timestamp authority, whose answer's size is not known, it
    # measures.
    reserve = None if seal.reserve is None else seal.reserve + 2 * sum(
        len(cert.dump()) for cert in (pair.cert, *pair.chain))
    pdf_signer = signers.PdfSigner(metadata, signer=_ParsedKeySigner(pair),
                                   timestamper=seal.pdf_signer.default_timestamper)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        return outside_event_loop(
            lambda: pdf_signer.sign_pdf(writer, bytes_reserved=reserve)).getvalue()
    except (SigningError, OSError) as error:  # the timestamp authority did not answer, say
        raise RenderError(f"the pack could not be signed: {error}") from error


def sign_pack(document: Document, signer: PartySigner) -> str:
    """Add ``signer``'s signature to ``document``'s current file, store the signed file as a new
    one and make it the row's; return the SHA-256 of the file that was signed.

    The row keeps only the current file: each earlier file's SHA-256 is the one a signature row
    records as what its signer signed (``Signature.pack_sha256``), so ``/verify`` still knows it.
    The new file is written before the row changes, as ``records.store_document`` does; earlier
    files stay in storage (a download of one still matches what its signer signed)."""
    # Locked and read afresh: two parties signing at once sign one after the other, each the
    # file with the other's signature, rather than both the same file (and one signature lost).
    db.session.flush()  # a refresh would drop what the session has not written
    db.session.refresh(document, with_for_update=True)
    before = document.sha256
    data = sign_for_party(current_app._get_current_object(), read_document(document), signer)
    digest = sha256_hex(data)
    name = document_name(document.application_id, document.kind, document.version, digest)
    store(name, data)
    document.stored_name, document.sha256, document.size = name, digest, len(data)
    db.session.flush()
    return before
