"""Local storage: atomic, immutable, no name can leave the root, safe for concurrent writers on
a shared folder; files no row refers to are pruned only after a grace period."""
import hashlib
import multiprocessing
import os
import time

import pytest

from assettransfer.documents.errors import StorageError
from assettransfer.documents.storage import (
    LocalStorage,
    document_name,
    get_storage,
    referenced,
    store,
)
from assettransfer.extensions import db
from assettransfer.models import Attachment, AttachmentKind, Document


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


NAME = "documents/9/letter-v1-0123abcd.pdf"
DAY = 24 * 3600


def _age(storage, name, seconds):
    """Make ``name`` look as if it was last written ``seconds`` ago."""
    then = time.time() - seconds
    os.utime(storage.path_for(name), (then, then))


def _nothing_referenced(names):
    return set()


def _save_many(root, names, data, start):
    start.wait()
    return [LocalStorage(root).save(name, data) for name in names]


def test_concurrent_writers_of_the_same_name_create_it_once(storage):
    """Several processes (app servers, job workers) storing the same letter at once: exactly
    one creates each file, the others find it, and nothing else is left in the folder."""
    names = [f"documents/{i % 4}/letter-v1-{i:08x}.pdf" for i in range(60)]
    context = multiprocessing.get_context("spawn")  # fork() from a threaded pytest is unsafe
    with context.Manager() as manager:
        start = manager.Event()
        with context.Pool(3) as pool:
            runs = [pool.apply_async(_save_many, (storage.root, names, b"%PDF same", start))
                    for _ in range(3)]
            start.set()
            created = [run.get(timeout=60) for run in runs]
    assert [sum(by_writer) for by_writer in zip(*created)] == [1] * len(names)
    assert sorted(storage.names()) == sorted(names)
    assert all(storage.open(name) == b"%PDF same" for name in names)
    assert not [f for _, _, files in os.walk(storage.root) for f in files if f.startswith(".")]


def test_prune_removes_only_old_files_no_row_refers_to(storage):
    for name in ("documents/1/old-orphan.pdf", "documents/1/new-orphan.pdf",
                 "documents/1/old-referenced.pdf"):
        storage.save(name, b"%PDF")
    _age(storage, "documents/1/old-orphan.pdf", 2 * DAY)
    _age(storage, "documents/1/old-referenced.pdf", 2 * DAY)
    crashed = storage.root / "documents" / "1" / ".tmp-crashed"
    crashed.write_bytes(b"half a letter")
    os.utime(crashed, (time.time() - 2 * DAY,) * 2)

    deleted = storage.prune(lambda names: names & {"documents/1/old-referenced.pdf"}, DAY)

    assert deleted == ["documents/1/old-orphan.pdf"]
    assert sorted(storage.names()) == ["documents/1/new-orphan.pdf",
                                       "documents/1/old-referenced.pdf"]
    assert sorted(os.listdir(storage.root / "documents" / "1")) == [
        "new-orphan.pdf", "old-referenced.pdf"]


def test_finding_an_old_orphan_again_keeps_it_from_prune(storage):
    """A transaction that finds a file another rolled back (same name, same bytes) relies on
    it: finding it renews its time, so prune leaves it for the grace period."""
    storage.save(NAME, b"%PDF")
    _age(storage, NAME, 2 * DAY)
    assert storage.save(NAME, b"%PDF") is False
    assert storage.prune(_nothing_referenced, DAY) == []
    assert storage.exists(NAME)


def test_a_file_found_while_prune_decides_is_put_back(storage):
    """The writer claims the file after prune chose it but before prune moved it aside."""
    storage.save(NAME, b"%PDF")
    _age(storage, NAME, 2 * DAY)

    looks = []

    def a_writer_claims_it_meanwhile(names):
        if not looks:  # prune's first look at the rows, before it moves the file aside
            assert storage.save(NAME, b"%PDF") is False
        looks.append(names)
        return set()

    assert storage.prune(a_writer_claims_it_meanwhile, DAY) == []
    assert storage.open(NAME) == b"%PDF"


def test_a_row_committed_while_prune_decides_keeps_its_file(storage):
    storage.save(NAME, b"%PDF")
    _age(storage, NAME, 2 * DAY)
    answers = iter([set(), {NAME}])  # no row at the first look, a committed one at the second
    assert storage.prune(lambda names: next(answers), DAY) == []
    assert storage.open(NAME) == b"%PDF"


def test_a_writer_finding_the_file_moved_aside_writes_it_again(storage):
    storage.save(NAME, b"%PDF")
    aside = storage._move_aside(NAME)  # prune's first step, caught half-way
    assert storage.save(NAME, b"%PDF") is True
    aside.unlink()  # prune's last step: the writer's own copy stays
    assert storage.open(NAME) == b"%PDF"


class TestFilesAndTheTransaction:
    """``store`` writes before the commit; a rollback never deletes a file, because another
    transaction's committed row may rely on it; ``prune`` removes the orphans."""

    @pytest.fixture
    def application(self, make):
        return make.ApplicationFactory()

    def _record(self, application, name, data=b"%PDF issued"):
        db.session.add(Document(
            application_id=application.id, kind="letter", title="Letter", stage="x",
            stored_name=name, sha256="0" * 64, size=len(data)))
        db.session.flush()

    def test_a_committed_file_stays(self, app):
        store(NAME, b"%PDF kept")
        db.session.commit()
        assert get_storage(app).open(NAME) == b"%PDF kept"

    def test_a_rolled_back_writer_never_removes_a_file_a_committed_row_references(
            self, app, application):
        db.session.commit()
        writer_a = db.session
        store(NAME, b"%PDF issued")  # A creates the file
        with app.app_context():  # B: another request or job, its own session
            store(NAME, b"%PDF issued")  # B finds it
            self._record(db.session.merge(application), NAME)
            db.session.commit()
        writer_a.rollback()
        assert get_storage(app).open(NAME) == b"%PDF issued"
        _age(get_storage(app), NAME, 2 * DAY)
        assert get_storage(app).prune(referenced, DAY) == []
        assert get_storage(app).exists(NAME)

    def test_a_rolled_back_file_is_an_orphan_until_prune_removes_it(self, app, application):
        self._record(application, NAME)
        store(NAME, b"%PDF undone")
        db.session.rollback()
        storage = get_storage(app)
        assert storage.exists(NAME)
        assert storage.prune(referenced, DAY) == []  # too new: a transaction may still want it
        _age(storage, NAME, 2 * DAY)
        assert storage.prune(referenced, DAY) == [NAME]
        assert not storage.exists(NAME)


class TestDocumentsVerifyAndPrune:
    """``flask documents verify`` checks every recorded file against its SHA-256; ``prune``
    removes the old orphans."""

    @pytest.fixture
    def recorded(self, app, make):
        application = make.ApplicationFactory()
        attachment_owner = make.UserFactory()
        names = {}
        for kind in ("intact", "altered", "missing"):
            data = f"%PDF {kind}".encode()
            name = f"documents/{application.id}/{kind}-v1-00000000.pdf"
            store(name, data)
            db.session.add(Document(
                application_id=application.id, kind=kind, title=kind, stage="x",
                stored_name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data)))
            names[kind] = name
        upload = b"%PDF upload"
        names["upload"] = f"attachments/{application.id}/upload.pdf"
        store(names["upload"], upload)
        db.session.add(Attachment(
            application_id=application.id, kind=AttachmentKind.OTHER, original_filename="u.pdf",
            stored_name=names["upload"], media_type="application/pdf", size=len(upload),
            sha256=hashlib.sha256(upload).hexdigest(), uploaded_by_id=attachment_owner.id))
        db.session.commit()
        return names

    def test_every_file_intact_passes(self, runner, recorded):
        result = runner.invoke(args=["documents", "verify"])
        assert result.exit_code == 0, result.output
        assert "OK: 4 stored files match their recorded SHA-256 (0 orphans)" in result.output

    def test_missing_and_altered_files_are_listed_and_fail(self, app, runner, recorded):
        storage = get_storage(app)
        storage.path_for(recorded["altered"]).write_bytes(b"%PDF forged")
        storage.path_for(recorded["missing"]).unlink()
        storage.save("documents/99/left-by-a-rollback.pdf", b"%PDF orphan")

        result = runner.invoke(args=["documents", "verify"])

        assert result.exit_code == 1
        assert f"MISSING: {recorded['missing']}" in result.output
        assert f"ALTERED: {recorded['altered']}" in result.output
        assert "orphan (no row refers to it): documents/99/left-by-a-rollback.pdf" in (
            result.output)
        assert recorded["intact"] not in result.output
        assert "1 missing and 1 altered of 4 stored files" in result.output

    def test_prune_deletes_old_orphans_only(self, app, runner, recorded):
        storage = get_storage(app)
        storage.save("documents/99/old-orphan.pdf", b"%PDF old")
        storage.save("documents/99/new-orphan.pdf", b"%PDF new")
        for name in ("documents/99/old-orphan.pdf", *recorded.values()):
            _age(storage, name, 2 * DAY)

        result = runner.invoke(args=["documents", "prune", "--grace-hours", "24"])

        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == ["deleted: documents/99/old-orphan.pdf",
                                              "OK: 1 orphan file deleted"]
        assert sorted(storage.names()) == sorted([*recorded.values(),
                                                  "documents/99/new-orphan.pdf"])


def test_a_file_a_crashed_prune_moved_aside_is_put_back(storage, monkeypatch):
    storage.save(NAME, b"%PDF")
    aside = storage._move_aside(NAME)  # then the prune crashed
    assert not storage.exists(NAME)
    monkeypatch.setattr(time, "time", lambda: aside.stat().st_ctime + 2 * DAY)
    assert storage.prune(lambda names: set(names), DAY) == []
    assert storage.open(NAME) == b"%PDF"
    assert not aside.exists()


def _commit_as_found(root, names, start):
    """A writer: stores each name (mostly finding an old orphan of the same bytes) and then
    "commits" a row for it, as a marker file."""
    storage = LocalStorage(root)
    start.wait()
    for name in names:
        storage.save(name, b"%PDF same")
        time.sleep(0.005)  # the rest of the transaction's work, well within the grace period
        (root.parent / "rows" / name.replace("/", "_")).touch()


def _prune_until(root, stop, grace):
    storage = LocalStorage(root)
    rows = root.parent / "rows"

    def referenced_rows(names):
        return {name for name in names if (rows / name.replace("/", "_")).exists()}

    deleted = []
    while not stop.is_set():
        deleted += storage.prune(referenced_rows, grace)
    return deleted


def test_prune_racing_writers_never_deletes_a_file_a_row_was_committed_for(storage):
    """Writers in two processes find old orphans and commit rows for them while a third process
    prunes again and again: every row still has its file, and no step trips over another
    process's. (The tests above pin each interleaving; this one runs them for real.)"""
    names = [f"documents/{i % 8}/letter-v1-{i:08x}.pdf" for i in range(300)]
    for name in names:
        storage.save(name, b"%PDF same")
        _age(storage, name, 60)
    (storage.root.parent / "rows").mkdir()
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        start, stop = manager.Event(), manager.Event()
        with context.Pool(3) as pool:
            pruner = pool.apply_async(_prune_until, (storage.root, stop, 30))
            writers = [pool.apply_async(_commit_as_found, (storage.root, names[i::2], start))
                       for i in range(2)]
            start.set()
            for writer in writers:
                writer.get(timeout=120)
            stop.set()
            deleted = pruner.get(timeout=120)
    rows = {path.name for path in (storage.root.parent / "rows").iterdir()}
    assert len(rows) == len(names)
    assert [name for name in names if not storage.exists(name)] == []
    assert deleted  # the prunes did run while the writers worked (and wrote those again)
