"""The council's seal: every issued PDF is signed with the council's certificate, with pyHanko.

    seal_pdf(app, data) -> bytes            the one place documents are signed (records.py)
    check_signatures(app, data) -> [SignatureCheck]   what /verify and the CLI report
    seal_description(app) -> dict           which keys and timestamps, for /readyz

A seal is a PAdES baseline B-T signature: a CAdES signature in the PDF plus an RFC 3161 timestamp
of it. The timestamp comes from ``SEAL_TSA_URL`` when it is set, or else from the app's own
timestamping key: weaker, since whoever holds the server holds that key too, so it proves the time
only as far as the server is trusted (an outside authority's proves it independently).

Signatures are checked against the council's trust roots: the seal certificate (and its chain),
the app's timestamping certificate, and any certificates in ``SEAL_TRUST_ROOTS_PATH`` (an outside
timestamp authority's root; earlier seal certificates, so documents sealed before a change of key
still verify). Nothing is fetched from the network when checking, so an upload cannot make the
server call out.

Keys are parsed once per process and settings (``_seals``): the tests and a worker seal many
documents, and parsing an RSA key costs more than signing with it.
"""

import asyncio
import io
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from asn1crypto import cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from flask import Flask
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError, as_signing_certificate, simple_cms_attribute
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from .errors import RenderError
from .seal_keys import KeyPair, development_ca, development_pairs, load_pem_pair, load_pkcs12

SEAL_FIELD = "CouncilSeal"
TSA_TIMEOUT_SECONDS = 10
T = TypeVar("T")
_logger = logging.getLogger(__name__)


class UnreadablePdf(ValueError):
    """The bytes are not a PDF whose signatures can be read."""


@dataclass(frozen=True)
class SealSettings:
    authority: str
    instance_path: str
    pkcs12_path: str | None
    pkcs12_password: str | None
    key_path: str | None
    cert_path: str | None
    key_password: str | None
    tsa_url: str | None
    tsa_key_path: str | None
    tsa_cert_path: str | None
    trust_roots_path: str | None
    ca_key_path: str | None
    ca_cert_path: str | None
    ca_key_password: str | None

    @classmethod
    def of(cls, app: Flask) -> "SealSettings":
        config = app.config
        return cls(config["AUTHORITY_NAME"], app.instance_path, *(config.get(name) for name in (
            "SEAL_PKCS12_PATH", "SEAL_PKCS12_PASSWORD", "SEAL_KEY_PATH", "SEAL_CERT_PATH",
            "SEAL_KEY_PASSWORD", "SEAL_TSA_URL", "SEAL_TSA_KEY_PATH", "SEAL_TSA_CERT_PATH",
            "SEAL_TRUST_ROOTS_PATH", "SIGNING_CA_KEY_PATH", "SIGNING_CA_CERT_PATH",
            "SIGNING_CA_KEY_PASSWORD")))

    @property
    def development(self) -> bool:
        """No seal key configured: the instance folder's self-signed one is used."""
        return not (self.pkcs12_path or (self.key_path and self.cert_path))


class _ParsedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses its key again for every signature (~80 ms for an RSA key's
    checks, more than the rest of sealing a letter); this one keeps the parsed key for the common
    mechanisms."""

    def __init__(self, pair: KeyPair):
        super().__init__(signing_cert=pair.cert, signing_key=pair.key_info,
                         cert_registry=SimpleCertificateStore.from_certs(pair.chain))
        self._key = pair.key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism["algorithm"].native in ("sha256_rsa", "sha384_rsa", "sha512_rsa"):
            return self._key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism["algorithm"].native in ("sha256_ecdsa", "sha384_ecdsa", "sha512_ecdsa"):
            return self._key.sign(data, ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


class _LocalTimeStamper(DummyTimeStamper):
    """The app as its own timestamp authority (pyHanko's DummyTimeStamper, RSA keys only), with
    its key parsed once: DummyTimeStamper parses it for every timestamp."""

    def __init__(self, pair: KeyPair):
        super().__init__(tsa_cert=pair.cert, tsa_key=pair.key_info)
        self._key = pair.key

    def _sign_tst_info(self, tst_info_data, md_algorithm, dt):
        # As DummyTimeStamper._sign_tst_info, with the key parsed once.
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            simple_cms_attribute("signing_certificate", as_signing_certificate(self.tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize()),
        ])
        signature = self._key.sign(signed_attrs.dump(), PKCS1v15(),
                                   get_pyca_cryptography_hash(md_algorithm.upper()))
        return signature, signed_attrs


@dataclass
class Seal:
    pair: KeyPair
    signing_authority: KeyPair  # certifies the parties' signatures of a pack (party_signing.py)
    trust_roots: list[asn1_x509.Certificate]
    pdf_signer: signers.PdfSigner
    # Bytes kept in the file for the signature. pyHanko estimates them by signing once more
    # (a third of the cost); our own timestamps' size is known. None: an authority's is not.
    reserve: int | None

    def validation_context(self) -> ValidationContext:
        return ValidationContext(trust_roots=self.trust_roots, allow_fetching=False,
                                 revocation_mode="soft-fail")


def _extra_roots(path: str | None) -> list[asn1_x509.Certificate]:
    if not path:
        return []
    return [asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
            for cert in x509.load_pem_x509_certificates(Path(path).read_bytes())]


def _load(settings: SealSettings) -> Seal:
    development = stamps = None
    if settings.development or not (settings.tsa_url or settings.tsa_key_path):
        development = development_pairs(settings.instance_path, settings.authority)
    if settings.pkcs12_path:
        pair = load_pkcs12(settings.pkcs12_path, settings.pkcs12_password)
    elif not settings.development:
        pair = load_pem_pair(settings.key_path, settings.cert_path, settings.key_password)
    else:
        pair = development[0]
    if settings.tsa_url:
        timestamper = RequestsHTTPTimeStamper(settings.tsa_url, timeout=TSA_TIMEOUT_SECONDS)
    else:
        stamps = (load_pem_pair(settings.tsa_key_path, settings.tsa_cert_path)
                  if settings.tsa_key_path else development[1])
        timestamper = _LocalTimeStamper(stamps)
    authority = (load_pem_pair(settings.ca_key_path, settings.ca_cert_path,
                               settings.ca_key_password) if settings.ca_key_path
                 else development_ca(settings.instance_path, settings.authority))
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        name=settings.authority, reason=f"Issued by {settings.authority}")
    roots = [pair.cert, *pair.chain, *([stamps.cert] if stamps else []),
             authority.cert, *authority.chain,
             *_extra_roots(settings.trust_roots_path)]
    signer = _ParsedKeySigner(pair)
    reserve = None if settings.tsa_url else 2 * (
        sum(len(cert.dump()) for cert in (pair.cert, *pair.chain, stamps.cert)) + 4096)
    return Seal(pair, authority, roots,
                signers.PdfSigner(metadata, signer=signer, timestamper=timestamper), reserve)


_seals: dict[SealSettings, Seal] = {}
_seals_lock = threading.Lock()


def get_seal(app: Flask) -> Seal:
    """The app's seal, loaded (or, in development, made) on first use in this process."""
    settings = SealSettings.of(app)
    seal = _seals.get(settings)
    if seal is None:
        with _seals_lock:
            seal = _seals.get(settings) or _seals.setdefault(settings, _load(settings))
    return seal


def outside_event_loop(call: Callable[[], T]) -> T:
    """``call()`` where pyHanko's synchronous API can run it: that API calls ``asyncio.run``,
    which refuses to start in a thread whose event loop is running (an async server's, or
    Playwright's synchronous API in a test); there, ``call`` runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def seal_pdf(app: Flask, data: bytes) -> bytes:
    """``data`` signed with the council's seal and timestamped; raise ``RenderError``."""
    seal = get_seal(app)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        return outside_event_loop(
            lambda: seal.pdf_signer.sign_pdf(writer, bytes_reserved=seal.reserve)).getvalue()
    except (SigningError, OSError) as error:  # the timestamp authority did not answer, say
        raise RenderError(f"the document could not be sealed: {error}") from error


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str  # the certificate's subject
    valid: bool  # unaltered since signed, by a certificate the council trusts
    intact: bool  # the signed bytes are unaltered
    trusted: bool  # the certificate chains to the council's trust roots
    signed_at: datetime | None  # the timestamp's time, else the time the signer claims
    timestamp_trusted: bool
    summary: str  # pyHanko's
    name: str = ""  # the certificate's common name: the council, or the person who signed
    role: str = ""  # the role a party signed in (its certificate's title); empty for the seal

    @property
    def seal(self) -> bool:
        """In the seal's field: the council's seal if ``trusted``."""
        return self.field == SEAL_FIELD


def check_signatures(app: Flask, data: bytes) -> list[SignatureCheck]:
    """Every signature in ``data``, checked against the council's trust roots.

    :raises UnreadablePdf: if ``data`` cannot be read as a PDF.
    """
    seal = get_seal(app)
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as error:  # noqa: BLE001  (anyone's upload can break a parser any way)
        raise UnreadablePdf(f"could not be read as a PDF ({type(error).__name__})") from error
    return [_check(signature, seal) for signature in signatures]


def _check(signature, seal: Seal) -> SignatureCheck:
    context = seal.validation_context()
    try:
        status = outside_event_loop(lambda: validate_pdf_signature(
            signature, signer_validation_context=context, ts_validation_context=context))
    except Exception as error:  # noqa: BLE001  (a damaged signature can fail in any way)
        _logger.info("A signature could not be checked", exc_info=True)
        return SignatureCheck(signature.field_name, "not readable: the signature is damaged",
                              False, False, False, None, False,
                              f"could not be checked ({type(error).__name__})")
    stamp = status.timestamp_validity
    subject = status.signing_cert.subject.native
    whole = status.coverage.name == "ENTIRE_FILE" or status.docmdp_ok
    return SignatureCheck(
        field=signature.field_name,
        signer=status.signing_cert.subject.human_friendly,
        valid=bool(status.bottom_line and whole),
        intact=status.intact,
        trusted=status.trusted,
        signed_at=stamp.timestamp if stamp else status.signer_reported_dt,
        timestamp_trusted=bool(stamp and stamp.valid and stamp.trusted),
        summary=status.summary(),
        name=subject.get("common_name", ""),
        role=subject.get("title", ""),
    )


def seal_description(app: Flask) -> dict:
    """Which key seals the documents and where their timestamps come from (no key material)."""
    settings = SealSettings.of(app)
    return {
        "key": ("development: a self-signed key made in the instance folder, NOT a production "
                "key" if settings.development else "configured"),
        "timestamps": settings.tsa_url or "the app's own timestamping key (weaker than a "
                                          "timestamp authority's)",
        "signing_authority": ("configured" if settings.ca_key_path else
                              "development: a self-signed CA made in the instance folder, NOT a "
                              "production key"),
    }
