"""``flask backup create`` and ``restore``: applications walked through their workflows come back
from a backup, into a fresh database and storage, with every row and file intact and the audit
trail verifying; a tampered backup, or a database or storage not empty, is refused."""
import json
import uuid
from collections import defaultdict

import pytest
import sqlalchemy as sa
from flask_migrate import stamp, upgrade

from assettransfer import create_app, walks
from assettransfer.documents.records import read_document, read_public_copy, sha256_hex
from assettransfer.documents.storage import get_storage
from assettransfer.extensions import db
from assettransfer.models import Application, Asset, Attachment, Document, Event
from assettransfer.services import backup as backup_service
from tests.conftest import ProductionCliRunner, _postgres_url, _test_config
from tests.factories import PASSWORD
from tests.workflow.conftest import people  # noqa: F401


def _walk(cast, make, workflow, to):
    application = walks.begin(cast.applicant, workflow, make.AssetFactory(), cast.organisation)
    walks.walk(application, cast, to, password=PASSWORD)
    db.session.commit()
    return application


@pytest.fixture
def walked(people, make):  # noqa: F811
    """Applications along their paths, each for an asset of its own: events, letters, uploads,
    signed legal packs."""
    return [_walk(people, make, workflow, to) for workflow, to in [
        ("council-cat", "completed"), ("scotland-atr", "completed"),
        ("england-acv", "transferred"), ("council-cat", "assessment")]]


@pytest.fixture
def submitted(people, make):  # noqa: F811
    """One application with events, a letter and uploads: enough for the refusals."""
    return _walk(people, make, "council-cat", "application_submitted")


@pytest.fixture
def stamped(app):
    """The test database (made from the models) marked as migrated to the head revision, as
    `flask db upgrade` leaves a real one."""
    stamp()
    yield
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))


@pytest.fixture
def fresh(tmp_path):
    """An app on an empty database migrated to the head revision (a new SQLite file, or a new
    PostgreSQL schema) and on empty storage: where a backup is restored."""
    url, options, schema = _postgres_url(), {}, None
    if url:
        schema = f"restore_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    else:
        url = "sqlite:///" + str(tmp_path / "restored.sqlite")
    app = create_app(_test_config(url, options, tmp_path / "restored-storage"))
    app.test_cli_runner_class = ProductionCliRunner
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield app
    with app.app_context():
        db.engine.dispose()
    if schema:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _all_rows(app) -> dict[str, list]:
    with app.app_context(), db.engine.connect() as conn:
        return {table.name: conn.execute(
                    sa.select(table).order_by(*table.primary_key.columns)).all()
                for table in db.metadata.sorted_tables}


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def backup(app, submitted, stamped, tmp_path):
    folder = tmp_path / "backup"
    result = _run(app, "backup", "create", str(folder))
    assert result.exit_code == 0, result.output
    return folder


def test_a_restored_backup_has_every_row_and_file_and_its_audit_trail_verifies(
        app, walked, stamped, fresh, tmp_path):
    backup = tmp_path / "backup"
    created = _run(app, "backup", "create", str(backup))
    assert created.exit_code == 0, created.output
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["alembic_revision"] and manifest["created_at"]
    assert manifest["tables"]["applications"] == 4
    assert manifest["tables"]["events"] == db.session.scalar(sa.func.count(Event.id))
    documents = db.session.scalars(sa.select(Document)).all()
    assert any(d.kind == "legal_pack" for d in documents)
    attachments = db.session.scalars(sa.select(Attachment)).all()
    copies = {d.public_stored_name for d in documents if d.has_public_copy}  # decision notices'
    stored = {f.stored_name for f in documents + attachments} | copies
    assert attachments and copies and {f"files/{name}" for name in stored} == {
        path for path in manifest["files"] if path.startswith("files/")}

    result = _run(fresh, "backup", "restore", str(backup))

    assert result.exit_code == 0, result.output
    assert _all_rows(fresh) == _all_rows(app)
    with fresh.app_context():
        storage = get_storage(fresh)
        assert storage.root != get_storage(app).root
        for document in db.session.scalars(sa.select(Document)):
            assert read_document(document)  # raises if the bytes differ from its SHA-256
            assert not document.has_public_copy or read_public_copy(document)
        for attachment in db.session.scalars(sa.select(Attachment)):
            assert sha256_hex(storage.open(attachment.stored_name)) == attachment.sha256
        assert sorted(storage.names()) == sorted(stored)
    audit = _run(fresh, "audit", "verify")
    assert audit.exit_code == 0 and audit.output.startswith("OK:"), audit.output
    assert _run(fresh, "documents", "verify").exit_code == 0


def test_the_restored_database_goes_on_giving_new_ids(app, make, backup, fresh):
    largest = db.session.scalar(sa.func.max(Asset.id))
    assert _run(fresh, "backup", "restore", str(backup)).exit_code == 0
    with fresh.app_context():
        asset = make.AssetFactory()
        db.session.commit()
        assert asset.id == largest + 1


@pytest.mark.parametrize("tamper, named", [
    ("a letter", "files/documents/"),
    ("an event", "tables/events.jsonl"),
])
def test_a_tampered_backup_is_refused_naming_the_file(backup, fresh, tamper, named):
    if tamper == "a letter":
        letter = next((backup / "files" / "documents").rglob("*.pdf"))
        letter.write_bytes(letter.read_bytes() + b"%% changed")
    else:
        events = backup / "tables" / "events.jsonl"
        events.write_text(events.read_text().replace('"submit_eoi"', '"withdraw"', 1))

    result = _run(fresh, "backup", "restore", str(backup))

    assert result.exit_code == 1
    assert "does not match its manifest" in result.output and named in result.output
    assert not any(_all_rows(fresh).values()) and not list(get_storage(fresh).names())


def test_an_unlisted_or_missing_file_is_refused(backup, fresh):
    (backup / "files" / "extra.pdf").write_bytes(b"%PDF planted")
    next((backup / "files" / "attachments").rglob("*.pdf")).unlink()
    result = _run(fresh, "backup", "restore", str(backup))
    assert result.exit_code == 1
    assert "not in the manifest: files/extra.pdf" in result.output
    assert "missing: files/attachments/" in result.output


def test_a_database_with_rows_is_refused(app, backup):
    before = _all_rows(app)
    result = _run(app, "backup", "restore", str(backup))
    assert result.exit_code == 1
    assert "only into an empty database" in result.output and "applications" in result.output
    assert _all_rows(app) == before


def test_storage_holding_other_files_is_refused(backup, fresh):
    get_storage(fresh).save("documents/1/someone-else.pdf", b"%PDF")
    result = _run(fresh, "backup", "restore", str(backup))
    assert result.exit_code == 1 and "only into empty storage" in result.output
    assert not any(_all_rows(fresh).values())


def test_a_second_restore_after_an_interrupted_one_is_accepted(backup, fresh):
    """Files are copied before the rows commit; an interrupted restore leaves only its own."""
    manifest = json.loads((backup / "manifest.json").read_text())
    first = next(p for p in manifest["files"] if p.startswith("files/"))
    get_storage(fresh).save(first.removeprefix("files/"), (backup / first).read_bytes())
    assert _run(fresh, "backup", "restore", str(backup)).exit_code == 0


def test_a_backup_of_another_schema_revision_is_refused(app, make, fresh, tmp_path):
    make.AssetFactory()  # this database was made from the models: no revision recorded
    folder = tmp_path / "backup"
    assert _run(app, "backup", "create", str(folder)).exit_code == 0
    result = _run(fresh, "backup", "restore", str(folder))
    assert result.exit_code == 1 and "schema revision None" in result.output
    assert "flask db upgrade" in result.output


def test_a_backup_is_written_only_into_an_empty_folder(app, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    result = _run(app, "backup", "create", str(tmp_path / "used"))
    assert result.exit_code == 1 and "not an empty folder" in result.output
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["notes.txt"]


def test_a_backup_with_an_altered_stored_file_is_not_written(app, submitted, tmp_path):
    document = db.session.scalars(sa.select(Document)).first()
    get_storage(app).path_for(document.stored_name).write_bytes(b"%PDF forged")
    folder = tmp_path / "backup"
    result = _run(app, "backup", "create", str(folder))
    assert result.exit_code == 1 and f"altered (SHA-256 differs from its row): " \
        f"{document.stored_name}" in result.output
    assert list(folder.iterdir()) == []


def test_values_of_every_kind_come_back_exactly(app, make, stamped, fresh, tmp_path):
    """Decimals, dates, aware datetimes, enums, JSON (SQL NULL apart from JSON null)."""
    application = make.ApplicationFactory(answers={"a": [1, "£2", None]}, terms=None)
    db.session.commit()
    assert application.asset.area_m2 is not None
    folder = tmp_path / "backup"
    assert _run(app, "backup", "create", str(folder)).exit_code == 0
    assert _run(fresh, "backup", "restore", str(folder)).exit_code == 0
    assert _all_rows(fresh) == _all_rows(app)
    terms_is_sql_null = sa.select(Application.terms.is_(None))
    with fresh.app_context():
        restored = db.session.scalar(terms_is_sql_null)
    assert restored == db.session.scalar(terms_is_sql_null)


def test_a_failed_backup_leaves_an_empty_folder_and_the_database_free(
        app, submitted, tmp_path, monkeypatch):
    def disk_full(value):
        raise OSError(28, "No space left on device")

    # Fails half-way through reading a table's rows, its cursor open.
    monkeypatch.setattr(backup_service, "_codecs", lambda table: defaultdict(
        lambda: backup_service._Codec(disk_full, disk_full)))
    folder = tmp_path / "backup"
    result = _run(app, "backup", "create", str(folder))
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert list(folder.iterdir()) == []
    make_a_write = submitted.organisation
    make_a_write.name = "Renamed while nobody reads"
    db.session.commit()  # the snapshot's read lock (SQLite) was released


def test_the_snapshot_is_one_moment_while_others_write(
        app, submitted, database, tmp_path, monkeypatch):
    """A write committed while the backup reads is not in it: PostgreSQL's REPEATABLE READ hides
    it; SQLite's read lock makes it wait (here: give up) until the rows are read."""
    url, options = database
    if url.startswith("sqlite"):
        options = {"connect_args": {"timeout": 0.2}}
    other = sa.create_engine(url, **options)
    organisations = sa.table("organisations", sa.column("name"))
    outcome = []
    write_table = backup_service._write_table

    def another_server_writes_meanwhile(connection, table, folder):
        count = write_table(connection, table, folder)
        if table is db.metadata.sorted_tables[0]:
            try:
                with other.begin() as conn:
                    conn.execute(organisations.update().values(name="Renamed meanwhile"))
                outcome.append("committed")
            except sa.exc.OperationalError:
                outcome.append("waited")
        return count

    monkeypatch.setattr(backup_service, "_write_table", another_server_writes_meanwhile)
    folder = tmp_path / "backup"
    result = _run(app, "backup", "create", str(folder))
    other.dispose()

    assert result.exit_code == 0, result.output
    assert db.metadata.sorted_tables[0].name != "organisations"
    assert outcome == ["waited" if url.startswith("sqlite") else "committed"]
    assert "Renamed meanwhile" not in (folder / "tables" / "organisations.jsonl").read_text()
