"""``flask backup create|restore DIR`` and ``flask documents verify|prune|verify-signatures``: the
stored files and the database, backed up, restored and checked (see docs/operations.md, Backups),
and a PDF checked as ``/verify`` checks it."""
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from .services import backup, stored_files, verification
from .services.errors import ValidationFailed

backup_cli = AppGroup("backup", help="Back up the database and stored files, and restore them.")
documents_cli = AppGroup("documents", help="Check and tidy the stored files.")
FOLDER = click.Path(file_okay=False, path_type=Path)


def _refused(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _contents(manifest: dict) -> str:
    rows = sum(manifest["tables"].values())
    stored = sum(path.startswith(f"{backup.FILES}/") for path in manifest["files"])
    return f"{rows} rows of {len(manifest['tables'])} tables and {stored} stored files"


@backup_cli.command("create")
@click.argument("directory", type=FOLDER)
def backup_create(directory):
    """Write a consistent snapshot of the database and the stored files, with a manifest of
    their SHA-256, into DIRECTORY (new or empty)."""
    try:
        manifest = backup.create(directory)
    except backup.BackupRefused as exc:
        _refused(str(exc))
    click.echo(f"OK: {directory}: {_contents(manifest)}, schema revision "
               f"{manifest['alembic_revision']}")


@backup_cli.command("restore")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
def backup_restore(directory):
    """Restore the backup in DIRECTORY into an empty database (after `flask db upgrade`) and
    empty storage, once every file matches the backup's manifest."""
    try:
        manifest = backup.restore(directory)
    except backup.BackupRefused as exc:
        _refused(str(exc))
    click.echo(f"OK: restored {_contents(manifest)} of the backup made {manifest['created_at']}")


@documents_cli.command("verify")
def documents_verify():
    """Check every stored file against the SHA-256 its row recorded; exit 1 listing each file
    missing or altered. Files no row refers to are listed as information."""
    report = stored_files.verify()
    for name in report.orphans:
        click.echo(f"orphan (no row refers to it): {name}")
    for name in report.missing:
        click.echo(f"MISSING: {name}", err=True)
    for name in report.altered:
        click.echo(f"ALTERED: {name}", err=True)
    if not report.intact:
        _refused(f"{len(report.missing)} missing and {len(report.altered)} altered of "
                 f"{report.checked} stored files.")
    click.echo(f"OK: {report.checked} stored files match their recorded SHA-256 "
               f"({len(report.orphans)} orphans)")


@documents_cli.command("verify-signatures")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def documents_verify_signatures(file):
    """Say whether FILE (a PDF) is a document this council issued, which case and version,
    whether it was superseded, and whether its signatures are valid; exit 1 unless it was issued
    and every signature is valid."""
    try:
        verdict = verification.verify_file(file.read_bytes())
    except ValidationFailed as exc:
        _refused(f"{file}: {exc.message}")
    document = verdict.document
    if document is None:
        click.echo(f"NOT ISSUED: no document we issued has SHA-256 {verdict.sha256}")
    else:
        state = (f"superseded on {document.superseded_at:%Y-%m-%d} by version "
                 f"{document.replaced_by}" if document.superseded else "current")
        if document.signed_since:
            state += "; an earlier file of it: signed since by another party"
        click.echo(f"ISSUED: {document.reference}, {document.title} ({document.kind}), version "
                   f"{document.version} ({state}), issued {document.issued_at:%Y-%m-%d %H:%M} UTC")
    for check in verdict.signatures:
        when = f", at {check.signed_at:%Y-%m-%d %H:%M:%S %Z}" if check.signed_at else ""
        stamp = " (timestamped)" if check.timestamp_trusted else ""
        click.echo(f"{'VALID' if check.valid else 'INVALID'} signature {check.field} by "
                   f"{check.signer}{when}{stamp}: {check.summary}")
    if not verdict.signatures:
        click.echo("No signatures.")
    if not (verdict.issued and verdict.signatures_valid):
        sys.exit(1)


@documents_cli.command("prune")
@click.option("--grace-hours", type=click.FloatRange(min=1), default=24, show_default=True,
              help="Delete only files untouched for this long: longer than any transaction.")
def documents_prune(grace_hours):
    """Delete stored files no row refers to (left by rolled-back work) once untouched for the
    grace period."""
    deleted = stored_files.prune(grace_hours)
    for name in deleted:
        click.echo(f"deleted: {name}")
    click.echo(f"OK: {len(deleted)} orphan file{'s' if len(deleted) != 1 else ''} deleted")
