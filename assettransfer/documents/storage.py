"""Where issued documents and uploaded attachments are kept: one folder, which may be a volume
shared by every app server and worker at once.

Names are relative, "/"-separated paths such as ``documents/12/decision_notice-v1-3fa2b9c0.pdf``
or ``attachments/12/<uuid>.pdf``. Files are immutable: saving a name again with other bytes is an
error, saving the same bytes again is a no-op (a retried action, or a job run twice, renders the
same letter). ``Storage`` is the interface an object store would implement instead of
``LocalStorage``.

Files never follow a rollback. A file is written (under a temporary name, then linked into
place) before the row that records it is committed, so a committed row always has its file; a
transaction that is rolled back leaves its file behind. Deleting it then would not be safe: a
concurrent transaction that found the same name with the same bytes may be about to commit a row
that relies on it. A file no row refers to (an orphan) is removed only by ``prune``, and only
once it has been neither written nor found again for a grace period, far longer than any
transaction lasts (see ``LocalStorage.prune`` for why that is race-free). A column named
``stored_name`` in any table holds a storage name: those are the references.
"""

import os
import secrets
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from flask import Flask, current_app

from ..extensions import db
from .errors import StorageError

DOCUMENTS_PREFIX = "documents"
ATTACHMENTS_PREFIX = "attachments"
REFERENCE_COLUMN = "stored_name"
_EXTENSION_KEY = "assettransfer.storage"
_TEMPORARY = ".tmp-"
_PRUNING = ".prune-"
# A writer that finds its file gone mid-save (pruned at that instant) writes it again.
_SAVE_ATTEMPTS = 3

Referenced = Callable[[Collection[str]], set[str]]


class Storage(Protocol):
    def save(self, name: str, data: bytes) -> bool: ...

    def open(self, name: str) -> bytes: ...

    def exists(self, name: str) -> bool: ...

    def names(self) -> Iterator[str]: ...

    def prune(self, referenced: Referenced, grace_seconds: float) -> list[str]: ...

    def path_for(self, name: str) -> Path | None: ...


def check_name(name: str) -> list[str]:
    """The parts of a safe storage name; raise ``StorageError`` for anything that could escape."""
    if not isinstance(name, str) or not name or len(name) > 255:
        raise StorageError(f"invalid storage name {name!r}")
    if "\\" in name or "\x00" in name or name.startswith("/") or ":" in name:
        raise StorageError(f"invalid storage name {name!r}")
    parts = name.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        # Leading dots also keep names clear of our own temporary and pruning files.
        raise StorageError(f"invalid storage name {name!r}")
    return parts


class LocalStorage:
    """Files under one root folder, written atomically (temporary file, fsync, link), safe for
    many processes on many machines sharing the folder."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def path_for(self, name: str) -> Path:
        path = self.root.joinpath(*check_name(name))
        # A symlink planted inside the root must not lead outside it either.
        if not path.resolve().is_relative_to(self.root):
            raise StorageError(f"storage name {name!r} leaves the storage folder")
        return path

    def exists(self, name: str) -> bool:
        return self.path_for(name).is_file()

    def open(self, name: str) -> bytes:
        return self.path_for(name).read_bytes()

    def save(self, name: str, data: bytes) -> bool:
        """Store ``data`` as ``name``; True if this call created the file, False if the same
        bytes were already there (then the file's time is renewed: see ``prune``)."""
        path = self.path_for(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TEMPORARY)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            for _ in range(_SAVE_ATTEMPTS):
                try:
                    # link() never replaces an existing file, unlike rename(): issued files
                    # stay put, and of two concurrent writers exactly one creates the file.
                    os.link(tmp, path)
                except FileExistsError:
                    if _claim_existing(path, data, name):
                        return False
                    continue  # pruned between our link and our claim: write it again
                _fsync_dir(path.parent)
                return True
            raise StorageError(f"{name!r} kept disappearing while it was saved")
        finally:
            os.unlink(tmp)

    def names(self) -> Iterator[str]:
        """Every stored name (temporary and pruning files left out), in no particular order."""
        for folder, _, files in os.walk(self.root):
            for file in files:
                if not file.startswith("."):
                    yield (Path(folder) / file).relative_to(self.root).as_posix()

    def prune(self, referenced: Referenced, grace_seconds: float) -> list[str]:
        """Delete the files no row refers to that have been neither written nor found by a
        ``save`` for ``grace_seconds``; return the names deleted. Temporary files that old (a
        crashed writer's) are deleted too, and files a crashed prune moved aside are put back.

        Race-free with concurrent writers, committers and prunes, provided every transaction
        commits within the grace period of its ``save``: a candidate is first moved aside (an
        atomic rename), and only then are its time and the references checked again. A
        ``save`` that found the file before the move renewed its time, so it is put back; one
        that comes after the move finds no file and writes its own. A row committed before the
        second check is seen by it; one committed after it was saved more than the grace
        period before, which the proviso rules out."""
        cutoff = time.time() - grace_seconds
        self._tidy_leftovers(cutoff)
        old = {name for name in self.names() if self._modified(name) < cutoff}
        candidates = old - referenced(old)
        moved = {name: self._move_aside(name) for name in sorted(candidates)}
        moved = {name: aside for name, aside in moved.items() if aside is not None}
        still_wanted = referenced(set(moved))
        deleted = []
        for name, aside in moved.items():
            try:
                if name in still_wanted or aside.stat().st_mtime >= cutoff:
                    _put_back(aside, self.path_for(name))
                else:
                    aside.unlink()
                    deleted.append(name)
            except FileNotFoundError:
                pass  # put back by another prune, which took ours for a crashed one's
        return sorted(deleted)

    def _modified(self, name: str) -> float:
        try:
            return self.path_for(name).stat().st_mtime
        except FileNotFoundError:
            return time.time()  # gone meanwhile (another prune): not a candidate

    def _move_aside(self, name: str) -> Path | None:
        path = self.path_for(name)
        aside = path.with_name(f"{_PRUNING}{secrets.token_hex(8)}-{path.name}")
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return None
        return aside

    def _tidy_leftovers(self, cutoff: float) -> None:
        for folder, _, files in os.walk(self.root):
            for file in files:
                path = Path(folder) / file
                try:
                    if file.startswith(_TEMPORARY) and path.stat().st_mtime < cutoff:
                        path.unlink()
                    elif file.startswith(_PRUNING) and path.stat().st_ctime < cutoff:
                        # Moved aside (the rename set its ctime) by a prune that then crashed.
                        _put_back(path, path.with_name(file.split("-", 2)[2]))
                except FileNotFoundError:
                    pass  # finished or tidied by another process meanwhile


def _claim_existing(path: Path, data: bytes, name: str) -> bool:
    """Renew the time of the file already at ``path`` and check it holds ``data``; False if it
    is gone (moved aside by ``prune``)."""
    try:
        os.utime(path)
        existing = path.read_bytes()
    except FileNotFoundError:
        return False
    if existing != data:
        raise StorageError(f"{name!r} is already stored with other content")
    return True


def _put_back(aside: Path, path: Path) -> None:
    try:
        os.link(aside, path)
    except FileExistsError:
        pass  # a writer saved the same name meanwhile: the same bytes, as names are unique
    aside.unlink()


def _fsync_dir(folder: Path) -> None:
    """Make the new directory entry durable too (a crash must not lose an issued file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def get_storage(app: Flask) -> Storage:
    """The app's storage, made once per app from ``STORAGE_DIR``."""
    storage = app.extensions.get(_EXTENSION_KEY)
    if storage is None:
        root = Path(app.config["STORAGE_DIR"]).resolve()
        if app.static_folder and root.is_relative_to(Path(app.static_folder).resolve()):
            raise StorageError("STORAGE_DIR must not be inside the web root (static folder)")
        storage = app.extensions[_EXTENSION_KEY] = LocalStorage(root)
    return storage


def store(name: str, data: bytes) -> None:
    """Save ``data`` as ``name`` in the app's storage, before the row that records it is
    committed. A rollback leaves the file for ``prune``."""
    get_storage(current_app).save(name, data)


def reference_columns() -> list[sa.Column]:
    """The columns that hold storage names: every column called ``stored_name`` or ending in
    ``_stored_name`` (a second file of the row, such as a letter's ``public_stored_name``)."""
    return [column for table in db.metadata.sorted_tables for column in table.columns
            if column.name == REFERENCE_COLUMN or column.name.endswith("_" + REFERENCE_COLUMN)]


def referenced(names: Collection[str]) -> set[str]:
    """Those of ``names`` that a committed row refers to, read in a transaction of its own so
    that a caller's snapshot never hides a newer row."""
    found: set[str] = set()
    chunks = [sorted(names)[i:i + 500] for i in range(0, len(names), 500)]
    with db.engine.connect() as conn:
        for column in reference_columns():
            for chunk in chunks:
                found.update(conn.scalars(sa.select(column).where(column.in_(chunk))))
    return found


def document_name(application_id: int, kind: str, version: int, sha256: str) -> str:
    return f"{DOCUMENTS_PREFIX}/{application_id}/{kind}-v{version}-{sha256[:8]}.pdf"
