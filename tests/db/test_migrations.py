"""Alembic migrations build the whole schema, and it matches the models exactly."""
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from assettransfer import create_app
from assettransfer.extensions import db
from tests.conftest import AUDIT_KEY, _postgres_url


@pytest.fixture
def empty_database(tmp_path):
    """An empty database of the kind this run uses: a new schema on PostgreSQL, a file on SQLite."""
    url = _postgres_url()
    if not url:
        yield "sqlite:///" + str(tmp_path / "migrated.sqlite"), {}
        return
    schema = f"mig_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_upgrade_to_head_matches_the_models(empty_database, tmp_path):
    url, options = empty_database
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "AUDIT_KEYS": {"k": AUDIT_KEY},
                      "SQLALCHEMY_DATABASE_URI": url,
                      "SQLALCHEMY_ENGINE_OPTIONS": options, "STORAGE_DIR": str(tmp_path)})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        db.engine.dispose()
    assert differences == []
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables
