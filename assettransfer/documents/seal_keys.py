"""The keys and certificates the seal signs and timestamps with (see ``seal.py``).

From configuration: a PKCS#12 file (``SEAL_PKCS12_PATH``, ``SEAL_PKCS12_PASSWORD``) or a PEM pair
(``SEAL_KEY_PATH``, ``SEAL_CERT_PATH``, ``SEAL_KEY_PASSWORD``), and for the app's own timestamps
``SEAL_TSA_KEY_PATH`` and ``SEAL_TSA_CERT_PATH``. Outside production, what is not configured is
made once in the instance folder's ``seal/`` (self-signed, keys mode 0600) and reused after.

The signing authority that certifies each party's signature of a legal pack (``party_signing``)
is a CA key and certificate: ``SIGNING_CA_KEY_PATH`` and ``SIGNING_CA_CERT_PATH`` (with
``SIGNING_CA_KEY_PASSWORD``), or outside production one made once in ``signing-ca/``.
"""

import datetime
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEVELOPMENT_FOLDER = "seal"
SEAL_FILES = ("seal.key.pem", "seal.cert.pem")
TIMESTAMP_FILES = ("timestamps.key.pem", "timestamps.cert.pem")
CA_FOLDER = "signing-ca"
CA_FILES = ("signing-ca.key.pem", "signing-ca.cert.pem")
DEVELOPMENT_UNIT = "Development key, not for production"


@dataclass(frozen=True)
class KeyPair:
    key: object  # a cryptography private key, parsed once: parsing an RSA key costs ~80 ms
    cert: asn1_x509.Certificate
    chain: list[asn1_x509.Certificate] = field(default_factory=list)
    source: str = ""  # where it came from, for the operations page

    @property
    def key_info(self) -> asn1_keys.PrivateKeyInfo:
        return asn1_keys.PrivateKeyInfo.load(self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))


def asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _password(value: str | None) -> bytes | None:
    return value.encode() if value else None


def load_pkcs12(path: str, password: str | None) -> KeyPair:
    key, cert, chain = pkcs12.load_key_and_certificates(Path(path).read_bytes(),
                                                        _password(password))
    if key is None or cert is None:
        raise ValueError(f"{path}: the PKCS#12 file holds no key and certificate")
    return KeyPair(key, asn1_certificate(cert), [asn1_certificate(c) for c in chain or ()],
                   source=path)


def load_pem_pair(key_path: str, cert_path: str, password: str | None = None) -> KeyPair:
    key = serialization.load_pem_private_key(Path(key_path).read_bytes(), _password(password))
    certs = x509.load_pem_x509_certificates(Path(cert_path).read_bytes())
    return KeyPair(key, asn1_certificate(certs[0]), [asn1_certificate(c) for c in certs[1:]],
                   source=cert_path)


def _self_signed(authority: str, purpose: str, usage: str):
    """``usage``: "seal", "timestamps" or "ca" (a CA that certifies the parties' signatures)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([  # X.520 allows 64 characters in each
        x509.NameAttribute(NameOID.COMMON_NAME, f"{authority[:64 - len(purpose) - 1]} {purpose}"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEVELOPMENT_UNIT),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, authority[:64]),
    ])
    now = datetime.datetime.now(datetime.UTC)
    ca = usage == "ca"
    builder = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=10 * 365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None),
                       critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=not ca, content_commitment=usage == "seal",
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False),
            critical=True)
    )
    if usage == "timestamps":  # validators accept a timestamp only from a certificate made for them
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if ca:
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    return key, builder.sign(key, hashes.SHA256())


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def development_folder(instance_path: str, authority: str,
                       folder_name: str = DEVELOPMENT_FOLDER) -> Path:
    """Where development keys of ``authority`` are kept: one folder per authority name, so a
    certificate always names the authority that uses it (a renamed council, or a benchmark's
    council beside the tests' in one checkout, gets keys of its own)."""
    slug = re.sub(r"[^a-z0-9]+", "-", authority.lower()).strip("-")[:40] or "authority"
    digest = hashlib.sha256(authority.encode()).hexdigest()[:8]
    return Path(instance_path) / folder_name / f"{slug}-{digest}"


def _made_once(instance_path: str, folder_name: str, authority: str, made) -> Path:
    """The folder of development keys ``made`` lists (files, purpose, usage), made on first use.

    They are made in a new folder renamed into place, so a process never reads half of them and
    two processes starting together keep the first one's."""
    folder = development_folder(instance_path, authority, folder_name)
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".keys-", dir=folder.parent))
        for (key_name, cert_name), purpose, usage in made:
            key, cert = _self_signed(authority, purpose, usage)
            _write(staging / key_name, key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()), 0o600)
            _write(staging / cert_name, cert.public_bytes(serialization.Encoding.PEM), 0o644)
        try:
            staging.rename(folder)
        except OSError:  # another process made it first
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def development_pairs(instance_path: str, authority: str) -> tuple[KeyPair, KeyPair]:
    """The seal's and the timestamps' development pairs, made on first use."""
    folder = _made_once(instance_path, DEVELOPMENT_FOLDER, authority, (
        (SEAL_FILES, "seal", "seal"), (TIMESTAMP_FILES, "timestamps", "timestamps")))
    seal = load_pem_pair(*(str(folder / name) for name in SEAL_FILES))
    stamps = load_pem_pair(*(str(folder / name) for name in TIMESTAMP_FILES))
    return seal, stamps


def development_ca(instance_path: str, authority: str) -> KeyPair:
    """The development signing authority (a self-signed CA), made on first use."""
    folder = _made_once(instance_path, CA_FOLDER, authority,
                        ((CA_FILES, "signing authority", "ca"),))
    return load_pem_pair(*(str(folder / name) for name in CA_FILES))
