"""Configuration: defaults, then ``instance/config.py``, then ``FLASK_*`` env vars, then test
config."""
import ipaddress
import json
import logging
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

NATIONS = ("england", "wales", "scotland", "northern-ireland")
# What kind of relevant authority runs the app (Community Empowerment (Scotland) Act 2015 Sch 3):
# a council's decision on an asset transfer request goes to a review (s86), then an appeal (s88);
# any other authority's goes straight to an appeal to the Scottish Ministers (s85).
AUTHORITY_KINDS = ("council", "other")

# The processes an authority offers by default, by the nation it is in.
DEFAULT_WORKFLOWS = {
    "scotland": ["scotland-atr", "council-cat"],
    "england": ["england-acv", "council-cat"],
    "wales": ["council-cat"],
    "northern-ireland": ["council-cat"],
}

_logger = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    """A top-level folder of the project (``templates``, ``workflows``, ``migrations``).

    In a checkout it sits beside the package; an installed wheel carries it inside the package.
    """
    beside = PROJECT_ROOT / name
    if beside.is_dir():
        return beside
    return Path(__file__).resolve().parent / "_data" / name


def defaults(instance_path: str) -> dict:
    return {
        "SECRET_KEY": None,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path,
                                                               "assettransfer.sqlite"),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "STORAGE_DIR": os.path.join(instance_path, "storage"),
        # Where messages are kept when no mail server or GOV.UK Notify is configured.
        "MESSAGES_DIR": os.path.join(instance_path, "messages"),
        # E-mail by SMTP (messaging/smtp.py) when MAIL_SERVER is set and NOTIFY_API_KEY is not.
        # MAIL_PORT None: 587 with MAIL_USE_TLS (STARTTLS), else 25. A login only when
        # MAIL_USERNAME is set. MAIL_DEFAULT_SENDER None: AUTHORITY_NAME <AUTHORITY_EMAIL>.
        "MAIL_SERVER": None,
        "MAIL_PORT": None,
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": None,
        # Seconds any one wait on the mail server may take: a dead server fails the job (which is
        # tried again later) instead of holding a worker.
        "MAIL_TIMEOUT": 30,
        # E-mail and printed letters by GOV.UK Notify (messaging/notify.py) when NOTIFY_API_KEY
        # is set: the key as Notify gives it, "<key name>-<service id>-<secret>".
        # NOTIFY_TEMPLATE_IDS: a JSON object of message kind (templates/messages/<kind>.txt) to
        # the id of the Notify template that shows it, "default" for the kinds not named;
        # "letter:<kind>" and "letter:default" for letters. NOTIFY_BASE_URL None: Notify's own.
        "NOTIFY_API_KEY": None,
        "NOTIFY_BASE_URL": None,
        "NOTIFY_TEMPLATE_IDS": {},
        # Deadline reminders: this many working days before the due date (0: on the day).
        "REMINDER_WORKING_DAYS": [10, 3, 0],
        "WORKFLOWS_DIR": str(resource_dir("workflows")),
        "WORKFLOWS": None,  # None: the defaults for AUTHORITY_NATION
        # Where people reach the service: links in messages start with it (never the Host a
        # request came with, which a client chooses).
        "SERVICE_URL": "http://127.0.0.1:5000",
        "AUTHORITY_NAME": "Example Council",
        "AUTHORITY_ADDRESS": "Council Offices\nHigh Street\nExampletown\nEX1 1AA",
        "AUTHORITY_NATION": "scotland",
        "AUTHORITY_KIND": "council",  # one of AUTHORITY_KINDS
        "AUTHORITY_EMAIL": "assets@example.gov.uk",
        "AUTHORITY_LOGO": None,  # a file name under static/, shown on letters and pages
        "AUTHORITY_COLOUR": "#005a9c",
        # The authority's code on planning.data.gov.uk ("local-authority:CMD"), for the
        # ``organisation`` field of its open data; empty: the field is left empty.
        "AUTHORITY_ORGANISATION": "",
        # The authority's working calendar on top of its nation's bank holidays: its own holidays,
        # and listed bank holidays it does not observe. Each an ISO date, or
        # {"date": ..., "name": ..., "source": ...} (see workflow.calendar.configured_days).
        "LOCAL_HOLIDAYS": [],
        "HOLIDAYS_NOT_OBSERVED": [],
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
        # Files one application may hold at once, so nobody can fill the storage through it.
        "UPLOAD_MAX_FILES_PER_APPLICATION": 50,
        "PAGE_SIZE": 20,
        "ARGON2_PARAMS": {},  # keyword arguments for argon2's PasswordHasher; empty: its defaults
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": None,  # None: on, but off under TESTING or debug (plain HTTP)
        # A signed-in session ends after this many seconds without a request, and this many
        # seconds after signing in whatever happens (see web/sessions.py).
        "SESSION_IDLE_TIMEOUT": 30 * 60,
        "SESSION_ABSOLUTE_TIMEOUT": 12 * 60 * 60,
        "API_TOKEN_LIFETIME_DAYS": 365,
        # How many reverse proxies in front of the app set X-Forwarded-For (and -Proto); with 0
        # those headers are ignored, so a client cannot choose the address it is throttled by.
        "TRUSTED_PROXIES": 0,
        # Flask-Limiter's storage for the counts below: memory:// counts per process; give every
        # process the same redis://host:6379/0 in production. See throttle.py.
        "RATELIMIT_STORAGE_URI": "memory://",
        # Named here because the one Limiter keeps the first app's value when a setting is
        # missing: an app made with it off would turn it off for every app made after it.
        "RATELIMIT_ENABLED": True,
        # Limits in Flask-Limiter's notation ("5 per minute;20 per hour"). Failed attempts count.
        "SIGN_IN_LIMIT_PER_ACCOUNT": "5 per minute;20 per hour;100 per day",
        "SIGN_IN_LIMIT_PER_ADDRESS": "20 per minute;200 per hour",
        "API_TOKEN_LIMIT_PER_ADDRESS": "10 per minute;100 per hour",
        # Accounts asked for (new or not: the page does not say) from one address.
        "SIGN_UP_LIMIT_PER_ADDRESS": "10 per hour",
        # Wrong two-factor codes allowed for one account: a 6-digit code must not be guessable.
        "TWO_FACTOR_LIMIT_PER_ACCOUNT": "5 per minute;20 per hour;100 per day",
        # Password-reset links asked for, per e-mail address typed and per client address; links
        # to confirm an address sent again, per account.
        "PASSWORD_RESET_LIMIT_PER_ACCOUNT": "3 per hour;10 per day",
        "PASSWORD_RESET_LIMIT_PER_ADDRESS": "10 per hour",
        "CONFIRM_EMAIL_LIMIT_PER_ACCOUNT": "3 per hour;10 per day",
        # Representations sent online on the public register, per client address (throttle.py).
        "REPRESENTATION_LIMIT_PER_ADDRESS": "5 per hour;20 per day",
        "VERIFY_LIMIT_PER_ADDRESS": "30 per hour;200 per day",
        # How long the links sent by e-mail work, in seconds (services/account_links.py).
        "PASSWORD_RESET_TIMEOUT": 60 * 60,
        "CONFIRM_EMAIL_TIMEOUT": 3 * 24 * 60 * 60,
        # Seconds between the password and the code within which the code must be given.
        "TWO_FACTOR_PENDING_TIMEOUT": 5 * 60,
        # The keys the audit trail's HMACs are made with, by id ({"2026": "..."}), kept out of the
        # database; new events use AUDIT_KEY_ID (needed when there are several), older ids stay
        # to verify older events. Unset: a key made once in instance/audit_key, except in
        # production, which must set them (see audit_keys below and docs/security.md).
        "AUDIT_KEYS": None,
        "AUDIT_KEY_ID": None,
        # Background jobs (letters, legal packs; see assettransfer/jobs). Unset: each runs in the
        # web process right after the commit that ordered it. redis://host:6379/1: queued for the
        # Celery worker (docs/operations.md).
        "JOBS_BROKER_URL": None,
        "JOBS_QUEUE": "assettransfer",  # the Celery queue's name, for a broker shared with others
        # How long a worker holds a job before another may take it over (longer than any job).
        "JOBS_LEASE_SECONDS": 10 * 60,
        # A failed job is tried again after this many seconds, four times longer each time, until
        # it has been tried JOBS_MAX_ATTEMPTS times; then it waits for an admin's Retry.
        "JOBS_RETRY_BASE_SECONDS": 30,
        "JOBS_MAX_ATTEMPTS": 5,
        # A queued job not started this long after it was due is queued again (a lost message).
        "JOBS_REQUEUE_AFTER_SECONDS": 2 * 60,
        # Who may read /metrics (see web/ops.py): a request with "Authorization: Bearer
        # METRICS_TOKEN", or one from an address or network listed. Addresses unset (None): this
        # machine's loopback, except in production, where /metrics is off until one is set.
        "METRICS_TOKEN": None,
        "METRICS_ALLOWED_ADDRESSES": None,
        # The council's seal on every issued document (documents/seal.py): its key and
        # certificate as a PKCS#12 file, or as a PEM pair (the certificate file may carry its
        # chain after it). Unset: a self-signed development key made in instance/seal, which is
        # not a production key; production refuses to start without one.
        "SEAL_PKCS12_PATH": None,
        "SEAL_PKCS12_PASSWORD": None,
        "SEAL_KEY_PATH": None,
        "SEAL_CERT_PATH": None,
        "SEAL_KEY_PASSWORD": None,
        # The RFC 3161 timestamp authority of the seals. Unset: the app's own timestamping key
        # (a PEM pair whose certificate is for time stamping; unset: made in instance/seal),
        # weaker, since it proves the time only as far as the server is trusted.
        "SEAL_TSA_URL": None,
        "SEAL_TSA_KEY_PATH": None,
        "SEAL_TSA_CERT_PATH": None,
        # PEM certificates also trusted when checking signatures: the timestamp authority's root,
        # and earlier seal certificates, so documents sealed before a change of key still verify.
        "SEAL_TRUST_ROOTS_PATH": None,
        # The signing authority (a CA key and certificate, PEM) that certifies each party's
        # signature of a legal pack (documents/party_signing.py); its certificate is trusted
        # when checking signatures. Unset: a self-signed development CA made in
        # instance/signing-ca; production refuses to start without one.
        "SIGNING_CA_KEY_PATH": None,
        "SIGNING_CA_CERT_PATH": None,
        "SIGNING_CA_KEY_PASSWORD": None,
        # The largest PDF anyone may upload to /verify (the request's own limit is
        # MAX_CONTENT_LENGTH).
        "VERIFY_MAX_BYTES": 20 * 1024 * 1024,
    }


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if test_config:
        app.config.update(test_config)
    nation = app.config["AUTHORITY_NATION"]
    if nation not in NATIONS:
        raise ValueError(f"AUTHORITY_NATION must be one of {', '.join(NATIONS)}, not {nation!r}")
    if app.config["AUTHORITY_KIND"] not in AUTHORITY_KINDS:
        raise ValueError(f"AUTHORITY_KIND must be one of {', '.join(AUTHORITY_KINDS)}, "
                         f"not {app.config['AUTHORITY_KIND']!r}")
    if not app.config["WORKFLOWS"]:
        app.config["WORKFLOWS"] = DEFAULT_WORKFLOWS[nation]
    refuse_unsafe_production(app)
    if not seal_key_configured(app.config):
        _logger.warning("Issued documents are sealed with a self-signed development key (made "
                        "in %s): it is NOT a production key; set SEAL_PKCS12_PATH or "
                        "SEAL_KEY_PATH and SEAL_CERT_PATH", os.path.join(app.instance_path, "seal"))
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_key(Path(app.instance_path), "secret_key")
    audit_keys(app)
    metrics_addresses(app)
    notify_settings(app)
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = not (app.config.get("TESTING") or app.debug)
    # Flask refuses a session cookie signed longer ago than this, whatever the cookie says.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        seconds=app.config["SESSION_ABSOLUTE_TIMEOUT"])


INSTANCE_AUDIT_KEY_ID = "instance"
AUDIT_KEY_MIN_LENGTH = 32


def is_production(app: Flask) -> bool:
    """Neither testing nor debugging, on a server database: several processes or machines may
    share the database, so a key each made for itself would not do, and whoever administers the
    database should not also hold the keys."""
    testing_or_debug = app.config.get("TESTING") or app.debug
    return not testing_or_debug and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


SECRET_KEY_MIN_LENGTH = 32


def production_problems(app: Flask) -> list[str]:
    """What production's settings lack, each naming the setting and why it is needed. Empty
    outside production, whose defaults suit one process on one machine."""
    if not is_production(app):
        return []
    config = app.config
    problems = []
    if not config["SECRET_KEY"]:
        problems.append("SECRET_KEY must be set in production (every app server must sign "
                        "sessions with the same key, kept out of the instance folder)")
    elif len(config["SECRET_KEY"]) < SECRET_KEY_MIN_LENGTH:
        problems.append(f"SECRET_KEY must have at least {SECRET_KEY_MIN_LENGTH} characters")
    if not config["AUDIT_KEYS"]:
        problems.append("AUDIT_KEYS must be set in production (a JSON object of key id to key, "
                        "kept out of the database): see docs/security.md, Audit trail")
    if config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        problems.append("RATELIMIT_STORAGE_URI must be set in production to a store every "
                        "process shares, such as redis://host:6379/0 (memory:// counts in each "
                        "process, so the limits multiply by the number of workers)")
    if not config["JOBS_BROKER_URL"]:
        problems.append("JOBS_BROKER_URL must be set in production to the Redis the job worker "
                        "takes its work from, such as redis://host:6379/1 (without it letters and "
                        "legal packs are made inside the web workers, and nothing runs the daily "
                        "deadline sweep)")
    if not seal_key_configured(config):
        problems.append("SEAL_PKCS12_PATH (with SEAL_PKCS12_PASSWORD), or SEAL_KEY_PATH and "
                        "SEAL_CERT_PATH, must be set in production: the council's key and "
                        "certificate that seal every issued document (the development key is "
                        "self-signed and made on each machine)")
    if not (config["SEAL_TSA_URL"] or (config["SEAL_TSA_KEY_PATH"]
                                       and config["SEAL_TSA_CERT_PATH"])):
        problems.append("SEAL_TSA_URL (an RFC 3161 timestamp authority), or SEAL_TSA_KEY_PATH "
                        "and SEAL_TSA_CERT_PATH (the app's own timestamping key, weaker), must be "
                        "set in production: every server must timestamp seals with a key the "
                        "others trust")
    if not (config["SIGNING_CA_KEY_PATH"] and config["SIGNING_CA_CERT_PATH"]):
        problems.append("SIGNING_CA_KEY_PATH and SIGNING_CA_CERT_PATH must be set in production: "
                        "the signing authority that certifies each party's signature of a legal "
                        "pack (the development one is self-signed and made on each machine)")
    if config["STORAGE_DIR"] == defaults(app.instance_path)["STORAGE_DIR"]:
        problems.append("STORAGE_DIR must be set in production to the folder (a volume every app "
                        "server and worker shares) where uploads and issued documents are kept")
    return problems


def seal_key_configured(config) -> bool:
    return bool(config["SEAL_PKCS12_PATH"] or (config["SEAL_KEY_PATH"]
                                               and config["SEAL_CERT_PATH"]))


def refuse_unsafe_production(app: Flask) -> None:
    """:raises ValueError: naming every setting production lacks (see ``production_problems``)."""
    problems = production_problems(app)
    if problems:
        raise ValueError("The app will not start in production without these settings (see "
                         "docs/operations.md, Settings production needs):\n- "
                         + "\n- ".join(problems))


def audit_keys(app: Flask) -> None:
    """Check ``AUDIT_KEYS`` and ``AUDIT_KEY_ID``, or make the development key.

    :raises ValueError: on a key id or key that will not do.
    """
    keys = app.config["AUDIT_KEYS"]
    if not keys:  # not in production: refuse_unsafe_production has seen to that
        keys = {INSTANCE_AUDIT_KEY_ID: instance_key(Path(app.instance_path), "audit_key")}
    if not isinstance(keys, dict) or not all(isinstance(k, str) for k in keys.values()):
        raise ValueError("AUDIT_KEYS must map key ids to keys (strings)")
    short = [key_id for key_id, key in keys.items() if len(key) < AUDIT_KEY_MIN_LENGTH]
    if short:
        raise ValueError(f"AUDIT_KEYS {', '.join(short)}: a key must have at least "
                         f"{AUDIT_KEY_MIN_LENGTH} characters")
    key_id = app.config["AUDIT_KEY_ID"]
    # FLASK_AUDIT_KEY_ID=2027 arrives as a number: Flask reads environment values as JSON.
    key_id = str(key_id) if key_id is not None else next(iter(keys)) if len(keys) == 1 else None
    if key_id not in keys:
        raise ValueError(f"AUDIT_KEY_ID must name the key of AUDIT_KEYS new events are recorded "
                         f"with, one of {', '.join(keys)}")
    app.config["AUDIT_KEYS"], app.config["AUDIT_KEY_ID"] = keys, key_id


def metrics_addresses(app: Flask) -> None:
    """Check ``METRICS_ALLOWED_ADDRESSES``, or give its default: this machine, but nobody in
    production.

    :raises ValueError: naming an entry that is not an address or network.
    """
    allowed = app.config["METRICS_ALLOWED_ADDRESSES"]
    if allowed is None:
        allowed = [] if is_production(app) else ["127.0.0.1", "::1"]
    for entry in allowed:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"METRICS_ALLOWED_ADDRESSES: {entry!r} is not an IP address or "
                             f"network (such as 10.0.0.0/8)") from None
    app.config["METRICS_ALLOWED_ADDRESSES"] = allowed


NOTIFY_API_KEY_SHAPE = re.compile(r"^.+-[0-9a-f-]{36}-[0-9a-f-]{36}$")


def notify_settings(app: Flask) -> None:
    """Check ``NOTIFY_API_KEY`` and ``NOTIFY_TEMPLATE_IDS`` when Notify is to send the messages,
    so a mistake stops the app rather than every message.

    :raises ValueError: naming what is wrong.
    """
    template_ids = app.config["NOTIFY_TEMPLATE_IDS"]
    if isinstance(template_ids, str):  # JSON text in instance/config.py
        try:
            template_ids = json.loads(template_ids)
        except ValueError:
            template_ids = None
    if not isinstance(template_ids, dict) or not all(
            isinstance(value, str) for value in template_ids.values()):
        raise ValueError("NOTIFY_TEMPLATE_IDS must be a JSON object of message kind to Notify "
                         "template id")
    app.config["NOTIFY_TEMPLATE_IDS"] = template_ids
    if not app.config["NOTIFY_API_KEY"]:
        return
    if not NOTIFY_API_KEY_SHAPE.match(app.config["NOTIFY_API_KEY"]):
        raise ValueError("NOTIFY_API_KEY must be the API key as GOV.UK Notify gives it: "
                         "<key name>-<service id>-<secret key>")
    if "default" not in template_ids:
        raise ValueError('NOTIFY_TEMPLATE_IDS must have a "default" entry: the Notify template '
                         "of the message kinds it does not name")


def instance_key(instance_path: Path, name: str) -> str:
    """A random key kept in the instance folder's file ``name``, made once with mode 0600 so that
    restarts keep it (sessions stay signed in, the audit trail still verifies)."""
    key_file = instance_path / name
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


# The settings that may name a Redis the app depends on; /readyz pings each one set.
REDIS_SETTINGS = ("RATELIMIT_STORAGE_URI", "JOBS_BROKER_URL")
# The URL schemes redis-py connects to (Flask-Limiter's redis+sentinel:// and the like are not
# pinged).
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def redis_urls(config) -> dict[str, str]:
    """The Redis URLs configured, by the name of the setting that holds each."""
    found = {name: config.get(name) for name in REDIS_SETTINGS}
    return {name: url for name, url in found.items()
            if isinstance(url, str) and url.startswith(REDIS_SCHEMES)}
