"""What every audit chain shares: its links keyed with an HMAC, and its head.

A chain is a run of rows numbered 1, 2, 3... each holding the hash of the one before
(``prev_hash``, ``GENESIS`` for the first) and its own ``hash``: the HMAC-SHA256 of its content
(the previous hash included) with the key ``key_id`` names in ``AUDIT_KEYS``. The keys are kept out
of the database, so whoever can write to the database cannot make a hash that verifies. Each chain's
``AuditHead`` holds its length and last hash, keyed the same way, so cutting events off its end
(or all of them) is seen too.
"""
import hashlib
import hmac
import json

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import AuditHead

GENESIS = "0" * 64
ACCOUNTS = "accounts"


def application_chain(application_id: int) -> str:
    return f"application:{application_id}"


def _canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def current_key_id() -> str:
    return current_app.config["AUDIT_KEY_ID"]


def keyed_hash(key_id: str, content: dict) -> str:
    """The HMAC-SHA256 of ``content`` with the key ``key_id`` (KeyError: no such key)."""
    key = current_app.config["AUDIT_KEYS"][key_id]
    return hmac.new(key.encode(), _canonical(content), hashlib.sha256).hexdigest()


def plain_hash(content: dict) -> str:
    """How events were hashed before the trail was keyed: read only to re-key them."""
    return hashlib.sha256(_canonical(content)).hexdigest()


def hash_problem(key_id: str | None, content: dict, stored: str) -> str | None:
    """Why ``stored`` is not the hash of ``content`` under ``key_id``, or None when it is."""
    if key_id is None:
        return "is not keyed (recorded before the trail was keyed: run flask audit rekey)"
    if key_id not in current_app.config["AUDIT_KEYS"]:
        return f"was recorded with key '{key_id}', which AUDIT_KEYS does not have"
    if not hmac.compare_digest(keyed_hash(key_id, content), stored):
        return (f"its content was changed after it was recorded (or AUDIT_KEYS' key '{key_id}' "
                "is not the one it was recorded with)")
    return None


def _head_content(head: AuditHead) -> dict:
    return {"chain": head.chain, "length": head.length, "hash": head.hash}


def locked_head(chain: str) -> AuditHead | None:
    """The chain's head, locked until the transaction ends (on PostgreSQL), so two writers
    append one after the other."""
    return db.session.scalar(select(AuditHead).where(AuditHead.chain == chain)
                             .with_for_update().execution_options(populate_existing=True))


def set_head(head: AuditHead | None, chain: str, length: int, last_hash: str) -> AuditHead:
    """Make ``head`` (None: a new one) say the chain ends at ``length`` with ``last_hash``."""
    if head is None:
        head = AuditHead(chain=chain)
        db.session.add(head)
    head.length, head.hash, head.key_id = length, last_hash, current_key_id()
    head.mac = keyed_hash(head.key_id, _head_content(head))
    return head


class ChainCheck:
    """Checks one chain's links as they are given in order, then its head; ``problem`` is the
    first thing wrong."""

    def __init__(self, *, accept_plain: bool = False):
        self.length = 0
        self.last_hash = GENESIS
        self.problem: str | None = None
        self.accept_plain = accept_plain  # re-keying: unkeyed links are checked as they were made

    def add(self, seq: int, prev_hash: str, stored: str, key_id: str | None,
            content: dict) -> None:
        if self.problem:
            return
        if seq != self.length + 1:
            self.problem = f"event {seq}: expected event {self.length + 1} (one is missing)"
        elif prev_hash != self.last_hash:
            self.problem = f"event {seq}: does not follow the event before it"
        elif key_id is None and self.accept_plain:
            if plain_hash(content) != stored:
                self.problem = f"event {seq}: its content was changed after it was recorded"
        elif wrong := hash_problem(key_id, content, stored):
            self.problem = f"event {seq}: {wrong}"
        if not self.problem:
            self.length, self.last_hash = seq, stored

    def end(self, head: AuditHead | None, *, head_required: bool) -> str | None:
        """The first problem of the chain and its head, or None."""
        if self.problem:
            return self.problem
        if head is None:
            if head_required:
                return ("head: none is recorded (its events were deleted, or it was made "
                        "without the app)")
            return None
        wrong = hash_problem(head.key_id, _head_content(head), head.mac)
        if wrong:
            return f"head: {wrong}"
        if head.length > self.length:
            return (f"head: {head.length} events were recorded but the trail ends at event "
                    f"{self.length} (events were deleted from its end)")
        if (head.length, head.hash) != (self.length, self.last_hash):
            return f"head: the trail does not end where its head says (event {head.length})"
        return None
