"""``flask demo``: a demo authority whose applications are walked along their happy paths."""
from collections import Counter

import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import Application, Assessment, Asset, Attachment
from assettransfer.services.geography import parse_boundary, parse_location


def test_fills_an_empty_database_with_applications_at_many_stages(runner):
    result = runner.invoke(args=["demo", "--password", "demo password 2026"])
    assert result.exit_code == 0, result.output
    assert "Sign in with password: demo password 2026" in result.output
    for account in ("officer@demo.example", "decisions@demo.example", "group3@demo.example"):
        assert account in result.output
    applications = list(db.session.scalars(sa.select(Application).order_by(Application.id)))
    assert [(a.workflow, a.state) for a in applications] == [
        ("council-cat", "eoi_draft"), ("council-cat", "eoi_submitted"),
        ("council-cat", "business_case"), ("council-cat", "assessment"),
        ("council-cat", "heads_of_terms"), ("council-cat", "sign_off"),
        ("scotland-atr", "draft"), ("scotland-atr", "submitted"),
        ("scotland-atr", "representations"), ("england-acv", "listed")]
    assert all(a.answers for a in applications)
    # Two are left part-way through a stage: one officer has scored the case in assessment, and
    # the draft request already has its constitution.
    assessed = Counter(db.session.scalars(sa.select(Assessment.application_id)))
    assert [assessed[a.id] for a in applications[3:6]] == [1, 2, 2]
    attached = Counter(db.session.scalars(sa.select(Attachment.application_id)))
    assert [attached[a.id] for a in applications[6:]] == [1, 1, 1, 0]
    # Every asset is in a ward and on the map, with valid coordinates; open spaces have a boundary.
    for asset in db.session.scalars(sa.select(Asset)):
        assert asset.ward and parse_location(
            {"latitude": str(asset.latitude), "longitude": str(asset.longitude)})[1] == []
        if asset.boundary is not None:
            problems = []
            assert parse_boundary(asset.boundary, problems) and problems == []


def test_refuses_a_database_with_data(runner, make):
    make.AssetFactory()
    db.session.commit()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "the demo only fills an empty one" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0
