"""Where issued documents and uploaded attachments are kept.

Names are relative, "/"-separated paths such as ``documents/12/decision_notice-v1-3fa2b9c0.pdf``
or ``attachments/12/<uuid>.pdf``. Files are immutable: saving a name again with other bytes is an
error, saving the same bytes again is a no-op (a retried action after a rollback re-renders the
same letter). Object storage can be added later behind the same methods.

Files follow the database transaction that records them: ``store`` writes the file at once and,
if that transaction is rolled back (or its session closed without a commit), deletes every file
it created, so undone work leaves no file behind. Writing first means a committed row always has
its file; a crash between the write and the commit can leave a file with no row, which is
harmless. A file that already existed with the same bytes was not created by this transaction and
is never deleted by its rollback.
"""

import os
import tempfile
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from .errors import StorageError

DOCUMENTS_PREFIX = "documents"
ATTACHMENTS_PREFIX = "attachments"
_EXTENSION_KEY = "assettransfer.storage"
# In Session.info: (storage, name) written this transaction
_CREATED = "assettransfer.created_files"


class Storage(Protocol):
    def save(self, name: str, data: bytes) -> bool: ...

    def delete(self, name: str) -> None: ...

    def open(self, name: str) -> bytes: ...

    def exists(self, name: str) -> bool: ...

    def path_for(self, name: str) -> Path | None: ...


def check_name(name: str) -> list[str]:
    """The parts of a safe storage name; raise ``StorageError`` for anything that could escape."""
    if not isinstance(name, str) or not name or len(name) > 255:
        raise StorageError(f"invalid storage name {name!r}")
    if "\\" in name or "\x00" in name or name.startswith("/") or ":" in name:
        raise StorageError(f"invalid storage name {name!r}")
    parts = name.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        # Leading dots also keep names clear of our own ".tmp-" files.
        raise StorageError(f"invalid storage name {name!r}")
    return parts


class LocalStorage:
    """Files under one root folder, written atomically (temporary file, fsync, link)."""

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
        bytes were already there."""
        path = self.path_for(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            try:
                # link() never replaces an existing file, unlike rename(): issued files stay put.
                os.link(tmp, path)
            except FileExistsError:
                if path.read_bytes() != data:
                    raise StorageError(f"{name!r} is already stored with other content") from None
                return False
        finally:
            os.unlink(tmp)
        _fsync_dir(path.parent)
        return True

    def delete(self, name: str) -> None:
        self.path_for(name).unlink(missing_ok=True)


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
    """Save ``data`` as ``name`` in the app's storage, as part of the current transaction: a
    rollback deletes the file again if this call created it."""
    storage = get_storage(current_app)
    db.session.connection()  # begins the transaction, if nothing has yet, so its end is seen
    if storage.save(name, data):
        db.session.info.setdefault(_CREATED, []).append((storage, name))


@event.listens_for(Session, "after_commit")
def _keep_created_files(session: Session) -> None:
    if not session.in_nested_transaction():  # a released savepoint can still be rolled back
        session.info.pop(_CREATED, None)


@event.listens_for(Session, "after_transaction_end")
def _delete_files_of_undone_work(session: Session, transaction) -> None:
    if transaction.parent is None:
        for storage, name in session.info.pop(_CREATED, ()):
            storage.delete(name)


def document_name(application_id: int, kind: str, version: int, sha256: str) -> str:
    return f"{DOCUMENTS_PREFIX}/{application_id}/{kind}-v{version}-{sha256[:8]}.pdf"
