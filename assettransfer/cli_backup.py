"""``flask backup create|restore DIR`` and ``flask documents verify|prune``: the stored files and
the database, backed up, restored and checked (see docs/operations.md, Backups)."""
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from .services import backup, stored_files

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
