"""Local storage: atomic, immutable, and no name can leave the root."""
import os

import pytest

from assettransfer.documents.errors import StorageError
from assettransfer.documents.storage import LocalStorage, document_name, get_storage, store
from assettransfer.extensions import db


@pytest.fixture
def storage(tmp_path):
    return LocalStorage(tmp_path / "store")


def test_round_trip(storage):
    storage.save("documents/1/letter-v1-abcd1234.pdf", b"%PDF-1.7 data")
    assert storage.exists("documents/1/letter-v1-abcd1234.pdf")
    assert storage.open("documents/1/letter-v1-abcd1234.pdf") == b"%PDF-1.7 data"
    assert storage.path_for("documents/1/letter-v1-abcd1234.pdf").is_relative_to(storage.root)
    assert not storage.exists("documents/1/other.pdf")


def test_no_temporary_files_are_left(storage):
    storage.save("attachments/7/a.pdf", b"x" * 10000)
    assert sorted(os.listdir(storage.root / "attachments" / "7")) == ["a.pdf"]


def test_saving_the_same_bytes_again_is_harmless_but_other_bytes_are_refused(storage):
    storage.save("documents/1/a.pdf", b"one")
    storage.save("documents/1/a.pdf", b"one")  # a retried action re-renders the same letter
    with pytest.raises(StorageError, match="other content"):
        storage.save("documents/1/a.pdf", b"two")
    assert storage.open("documents/1/a.pdf") == b"one"
    assert os.listdir(storage.root / "documents" / "1") == ["a.pdf"]


def test_a_failed_write_leaves_nothing_behind(storage, monkeypatch):
    def broken_link(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "link", broken_link)
    with pytest.raises(OSError, match="disk full"):
        storage.save("documents/1/a.pdf", b"data")
    assert not storage.exists("documents/1/a.pdf")
    assert os.listdir(storage.root / "documents" / "1") == []


@pytest.mark.parametrize("name", [
    "", "../outside.pdf", "documents/../../outside.pdf", "/etc/passwd", "documents//a.pdf",
    "documents/./a.pdf", ".hidden", "documents/.tmp-x", "a\\..\\b", "a\x00b", "C:/x", "x" * 300,
])
def test_unsafe_names_are_refused(storage, name):
    with pytest.raises(StorageError):
        storage.save(name, b"x")
    with pytest.raises(StorageError):
        storage.open(name)


def test_symlinks_cannot_lead_out_of_the_root(storage, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"secret")
    storage.root.mkdir(parents=True)
    (storage.root / "documents").symlink_to(outside)
    with pytest.raises(StorageError, match="leaves"):
        storage.open("documents/secret.pdf")
    with pytest.raises(StorageError, match="leaves"):
        storage.save("documents/new.pdf", b"x")
    assert not (outside / "new.pdf").exists()


def test_app_storage_is_rooted_at_storage_dir(app):
    storage = get_storage(app)
    assert str(storage.root) == os.path.realpath(app.config["STORAGE_DIR"])
    assert get_storage(app) is storage


def test_storage_inside_the_web_root_is_refused(app):
    app.config["STORAGE_DIR"] = os.path.join(app.static_folder, "files")
    app.extensions.pop("assettransfer.storage", None)
    with pytest.raises(StorageError, match="web root"):
        get_storage(app)


def test_document_names():
    assert document_name(12, "decision_notice", 3, "3fa2b9c0" + "0" * 56) == (
        "documents/12/decision_notice-v3-3fa2b9c0.pdf")


class TestFilesFollowTheTransaction:
    """``store``: a rolled-back transaction leaves no file it wrote; a committed one keeps it."""

    NAME = "documents/9/letter-v1-0123abcd.pdf"

    def test_a_committed_file_stays(self, app):
        store(self.NAME, b"%PDF kept")
        db.session.commit()
        assert get_storage(app).open(self.NAME) == b"%PDF kept"

    def test_a_rolled_back_file_is_deleted(self, app):
        store(self.NAME, b"%PDF undone")
        assert get_storage(app).exists(self.NAME)
        db.session.rollback()
        assert not get_storage(app).exists(self.NAME)

    def test_a_session_closed_without_commit_deletes_its_files(self, app):
        store(self.NAME, b"%PDF abandoned")
        db.session.close()
        assert not get_storage(app).exists(self.NAME)

    def test_a_file_that_was_already_there_survives_a_rollback(self, app):
        store(self.NAME, b"%PDF issued")
        db.session.commit()
        store(self.NAME, b"%PDF issued")  # a retried action re-renders the same letter
        db.session.rollback()
        assert get_storage(app).open(self.NAME) == b"%PDF issued"

    def test_a_file_written_in_a_released_savepoint_goes_with_the_outer_rollback(self, app):
        with db.session.begin_nested():
            store(self.NAME, b"%PDF nested")
        db.session.rollback()
        assert not get_storage(app).exists(self.NAME)
