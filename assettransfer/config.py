"""Configuration: defaults, then ``instance/config.py``, then ``FLASK_*`` env vars, then test
config."""
import os
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
        "WORKFLOWS_DIR": str(resource_dir("workflows")),
        "WORKFLOWS": None,  # None: the defaults for AUTHORITY_NATION
        "AUTHORITY_NAME": "Example Council",
        "AUTHORITY_ADDRESS": "Council Offices\nHigh Street\nExampletown\nEX1 1AA",
        "AUTHORITY_NATION": "scotland",
        "AUTHORITY_KIND": "council",  # one of AUTHORITY_KINDS
        "AUTHORITY_EMAIL": "assets@example.gov.uk",
        "AUTHORITY_LOGO": None,  # a file name under static/, shown on letters and pages
        "AUTHORITY_COLOUR": "#005a9c",
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
        # Seconds between the password and the code within which the code must be given.
        "TWO_FACTOR_PENDING_TIMEOUT": 5 * 60,
        # The keys the audit trail's HMACs are made with, by id ({"2026": "..."}), kept out of the
        # database; new events use AUDIT_KEY_ID (needed when there are several), older ids stay
        # to verify older events. Unset: a key made once in instance/audit_key, except in
        # production, which must set them (see audit_keys below and docs/security.md).
        "AUDIT_KEYS": None,
        "AUDIT_KEY_ID": None,
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
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_key(Path(app.instance_path), "secret_key")
    audit_keys(app)
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


def audit_keys(app: Flask) -> None:
    """Check ``AUDIT_KEYS`` and ``AUDIT_KEY_ID``, or make the development key.

    :raises ValueError: in production without keys, or on a key id or key that will not do.
    """
    keys = app.config["AUDIT_KEYS"]
    if not keys:
        if is_production(app):
            raise ValueError("AUDIT_KEYS must be set in production (a JSON object of key id to "
                             "key, kept out of the database): see docs/security.md, Audit trail")
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
