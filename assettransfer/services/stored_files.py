"""The stored files checked against the rows that record them, and the orphans pruned.

A table with a ``stored_name`` column and a ``sha256`` column records files (documents,
attachments): every such row's file must exist and hash to its ``sha256``. A second file of a
row is named in ``<prefix>_stored_name`` and hashed in ``<prefix>_sha256`` (a letter's published
copy: ``public_stored_name``, ``public_sha256``).
"""
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from ..documents.storage import get_storage, reference_columns, referenced
from ..extensions import db


@dataclass
class FileReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.missing and not self.altered


def recorded_files(connection: sa.Connection | None = None) -> Iterator[tuple[str, str]]:
    """Each recorded file as (stored name, SHA-256 recorded when it was stored); a row whose
    file is still to be made (no name yet) has none."""
    run = connection or db.session
    for column in reference_columns():
        digest = column.table.c.get(column.name.removesuffix("stored_name") + "sha256")
        if digest is not None:
            yield from run.execute(
                sa.select(column, digest).where(column.is_not(None)).order_by(column))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify() -> FileReport:
    """Check every recorded file against its hash; list the missing, the altered, and (as
    information) the stored files no row refers to."""
    storage = get_storage(current_app)
    report = FileReport()
    recorded = set()
    for name, expected in recorded_files():
        recorded.add(name)
        report.checked += 1
        if not storage.exists(name):
            report.missing.append(name)
        elif sha256_of(storage.open(name)) != expected:
            report.altered.append(name)
    report.orphans = sorted(set(storage.names()) - recorded)
    return report


def prune(grace_hours: float) -> list[str]:
    """Delete the stored files no row refers to, untouched for ``grace_hours``."""
    return get_storage(current_app).prune(referenced, grace_hours * 3600)
