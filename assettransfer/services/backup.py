"""Backups: a consistent snapshot of the database and the stored files, and its restore.

A backup is a folder::

    manifest.json            format, time, alembic revision, rows per table, SHA-256 of each file
    tables/<table>.jsonl     every row of each table of the models' metadata, a JSON object a line
    files/<stored name>      every stored file a row refers to

The rows are read in one transaction (REPEATABLE READ on PostgreSQL), so the snapshot is
consistent while the app keeps writing; the files are immutable, so copying them after the read
is safe. Values are written by their column's Python type (dates and times as ISO 8601, decimals
as strings, bytes as base64, enums as their values; a JSON column as its JSON text, null for SQL
NULL), so they come back exactly. Backup and restore work below the ORM, on a connection of their
own: the snapshot needs its own isolation level, and restored rows must be the rows as they were,
without the ORM's events (tallies, audit) adding to them.
"""
import base64
import enum
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from flask import current_app

from ..documents.errors import StorageError
from ..documents.storage import Storage, check_name, get_storage
from ..extensions import db
from .stored_files import recorded_files, sha256_of

FORMAT = "assettransfer-backup/1"
MANIFEST = "manifest.json"
TABLES = "tables"
FILES = "files"
_BATCH = 1000
_JSON_NATIVE = (bool, int, float, str, dict, list)


class BackupRefused(Exception):
    """The backup cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class _Codec:
    encode: Callable[[object], object]
    decode: Callable[[object], object]


def _is_json(column: sa.Column) -> bool:
    return isinstance(getattr(column.type, "impl_instance", column.type), sa.JSON)


def _codec(column: sa.Column) -> _Codec:
    """How a column's values are written to JSON and read back."""
    if _is_json(column):
        # Read as its JSON text (see _selected), so SQL NULL and JSON null stay apart.
        return _Codec(lambda text: text,
                      lambda text: sa.null() if text is None else json.loads(text))
    encode, decode = _value_codec(_python_type(column.type))
    return _Codec(lambda value: None if value is None else encode(value),
                  lambda value: None if value is None else decode(value))


def _python_type(column_type: sa.types.TypeEngine) -> type:
    """The type of the column's values in Python; a TypeDecorator's, unless it says, is its
    underlying type's (UTCDateTime's is datetime)."""
    try:
        python_type = column_type.python_type
    except NotImplementedError:  # SQLAlchemy's answer for a type that names no Python type
        python_type = object
    if python_type is object and isinstance(column_type, sa.TypeDecorator):
        return _python_type(column_type.impl_instance)
    return python_type


def _value_codec(python_type: type) -> tuple[Callable, Callable]:
    if python_type in _JSON_NATIVE or python_type is object:
        return (lambda value: value), (lambda value: value)
    if issubclass(python_type, enum.Enum):
        return (lambda member: member.value), python_type
    if python_type is bytes:
        return (lambda data: base64.b64encode(data).decode()), base64.b64decode
    if hasattr(python_type, "fromisoformat"):  # date, datetime, time
        return (lambda value: value.isoformat()), python_type.fromisoformat
    return str, python_type  # Decimal, UUID


def _codecs(table: sa.Table) -> dict[str, _Codec]:
    return {column.name: _codec(column) for column in table.columns}


def _selected(table: sa.Table) -> sa.Select:
    columns = [sa.cast(column, sa.Text).label(column.name) if _is_json(column) else column
               for column in table.columns]
    return sa.select(*columns).order_by(*table.primary_key.columns)


def _revision(connection: sa.Connection) -> str | None:
    heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def _file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


# Create


def create(directory: Path) -> dict:
    """Write a backup into ``directory`` (made if missing, refused unless empty); return its
    manifest. A recorded file that is missing or altered refuses the backup, naming it."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupRefused(f"{directory} is not an empty folder: a backup is written only into "
                            "a new or empty one.")
    directory.mkdir(parents=True, exist_ok=True)
    try:
        return _write(directory, get_storage(current_app))
    except BaseException as exc:
        for child in directory.iterdir():  # it was empty: leave it so
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        if isinstance(exc, OSError | StorageError):
            raise BackupRefused(f"No backup was written: {exc}") from exc
        raise


def _write(directory: Path, storage: Storage) -> dict:
    (directory / TABLES).mkdir()
    counts = {}
    with _snapshot() as connection:
        revision = _revision(connection)
        for table in db.metadata.sorted_tables:
            counts[table.name] = _write_table(connection, table, directory / TABLES)
        files = list(recorded_files(connection))
    _copy_stored_files(storage, files, directory / FILES)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "alembic_revision": revision,
        "database": db.engine.dialect.name,
        "tables": counts,
        "files": {path.relative_to(directory).as_posix(): _file_sha256(path)
                  for path in sorted(directory.rglob("*")) if path.is_file()},
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


@contextmanager
def _snapshot() -> Iterator[sa.Connection]:
    """A connection whose reads all see one moment of the database."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with connection.begin() as read:
            if connection.dialect.name == "sqlite":
                # pysqlite begins no transaction for reads, so each SELECT would see the latest
                # commit: a deferred BEGIN holds one read snapshot until the end.
                connection.exec_driver_sql("BEGIN")
            yield connection
            read.rollback()  # it only read


def _write_table(connection: sa.Connection, table: sa.Table, folder: Path) -> int:
    codecs = _codecs(table)
    count = 0
    with (folder / f"{table.name}.jsonl").open("w", encoding="utf-8") as out:
        with connection.execution_options(yield_per=_BATCH).execute(_selected(table)) as rows:
            for row in rows.mappings():
                line = {name: codecs[name].encode(value) for name, value in row.items()}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += 1
    return count


def _copy_stored_files(storage: Storage, files: list[tuple[str, str]], folder: Path) -> None:
    problems = []
    for name, expected in files:
        try:
            data = storage.open(name)
        except FileNotFoundError:
            problems.append(f"missing: {name}")
            continue
        if sha256_of(data) != expected:
            problems.append(f"altered (SHA-256 differs from its row): {name}")
            continue
        target = folder.joinpath(*check_name(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if problems:
        raise BackupRefused("No backup was written: stored files do not match their rows "
                            "(see `flask documents verify`):\n  " + "\n  ".join(problems))


# Restore


def restore(directory: Path) -> dict:
    """Restore the backup in ``directory`` into this app's database and storage, which must be
    empty (the schema made by `flask db upgrade` at the backup's revision); return its manifest.
    Nothing is restored if the backup does not match its manifest."""
    manifest = _checked_manifest(directory)
    storage = get_storage(current_app)
    with db.engine.connect() as connection, connection.begin():
        if (revision := _revision(connection)) != manifest["alembic_revision"]:
            raise BackupRefused(
                f"The backup is of schema revision {manifest['alembic_revision']}, the database is "
                f"at {revision}: run `flask db upgrade` to that revision on an empty database.")
        _check_empty(connection)
        _check_storage_empty(storage, manifest)
        for table in db.metadata.sorted_tables:
            _insert_rows(connection, table, directory, manifest["tables"][table.name])
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
        # Files before the commit: a committed row always has its file. A failure leaves only
        # this backup's own files, which a second restore accepts.
        for path in sorted(manifest["files"]):
            if path.startswith(f"{FILES}/"):
                _save(storage, path.removeprefix(f"{FILES}/"), (directory / path).read_bytes())
    return manifest


def _checked_manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupRefused(f"{directory} holds no readable {MANIFEST}: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not all(
            isinstance(manifest.get(key), dict) for key in ("tables", "files")):
        raise BackupRefused(f"{directory / MANIFEST} is not a manifest of format {FORMAT}.")
    listed = manifest["files"]
    present = {path.relative_to(directory).as_posix() for path in directory.rglob("*")
               if path.is_file() and path.name != MANIFEST}
    problems = [f"missing: {path}" for path in sorted(set(listed) - present)]
    problems += [f"not in the manifest: {path}" for path in sorted(present - set(listed))]
    problems += [f"altered (SHA-256 differs from the manifest): {path}"
                 for path in sorted(set(listed) & present)
                 if _file_sha256(directory / path) != listed[path]]
    problems += [f"missing: {TABLES}/{name}.jsonl" for name in sorted(manifest["tables"])
                 if f"{TABLES}/{name}.jsonl" not in listed]
    unknown = set(manifest["tables"]) ^ set(db.metadata.tables)
    problems += [f"table {name} is in only one of the backup and this version's models"
                 for name in sorted(unknown)]
    if problems:
        raise BackupRefused("Refused: the backup does not match its manifest, so nothing was "
                            "restored:\n  " + "\n  ".join(problems))
    return manifest


def _check_empty(connection: sa.Connection) -> None:
    filled = [table.name for table in db.metadata.sorted_tables
              if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()]
    if filled:
        raise BackupRefused("Refused: a backup is restored only into an empty database, and "
                            f"these tables have rows: {', '.join(filled)}.")


def _check_storage_empty(storage: Storage, manifest: dict) -> None:
    # A file of this very backup may be there already, left by an interrupted restore.
    foreign = sorted(name for name in storage.names()
                     if f"{FILES}/{name}" not in manifest["files"])
    if foreign:
        raise BackupRefused("Refused: a backup is restored only into empty storage, and it holds "
                            f"{len(foreign)} other file(s), such as {foreign[0]}.")


def _insert_rows(connection: sa.Connection, table: sa.Table, directory: Path,
                 expected: int) -> None:
    count = 0
    for batch in _batches(_rows(table, directory / TABLES / f"{table.name}.jsonl")):
        try:
            connection.execute(table.insert(), batch)
        except sa.exc.DBAPIError as exc:
            raise BackupRefused(f"Refused: rows of {table.name} could not be restored "
                                f"({exc.orig}); nothing was restored.") from None
        count += len(batch)
    if count != expected:
        raise BackupRefused(f"Refused: {table.name} has {count} rows, its manifest says "
                            f"{expected}; nothing was restored.")


def _rows(table: sa.Table, path: Path) -> Iterator[dict]:
    codecs = _codecs(table)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield {name: codecs[name].decode(value) for name, value in json.loads(line).items()}


def _batches(rows: Iterator[dict]) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _reset_sequences(connection: sa.Connection) -> None:
    """Rows came with their ids, which PostgreSQL's sequences did not hand out: move each on to
    its table's largest id, so the next insert gets a new one."""
    for table in db.metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        name = connection.dialect.identifier_preparer.format_table(table)
        largest = sa.func.max(column)
        connection.execute(sa.select(sa.func.setval(
            sa.func.pg_get_serial_sequence(name, column.name),
            sa.func.coalesce(largest, 1), largest.is_not(None))))


def _save(storage: Storage, name: str, data: bytes) -> None:
    try:
        storage.save(name, data)
    except StorageError as exc:
        raise BackupRefused(f"Refused: {exc}; nothing was restored.") from None
