"""The keyed audit trail resists an insider who can write to the database but holds no key:
cutting events off a chain, rewriting one and hashing again, changing a state directly."""
import hashlib
import json

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Application, AuditHead, Event
from assettransfer.services import audit
from tests.conftest import AUDIT_KEY

OTHER_KEY = "another-key-of-at-least-32-characters!"


@pytest.fixture
def case(new_application, walk):
    """An application four events along its trail, and a second, just begun (two events, none
    that a deadline or document refers to, so the database lets them be deleted)."""
    application = walk(new_application("council-cat"), "business_case")
    bystander = new_application("council-cat")
    return application, bystander


def verify(runner):
    result = runner.invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def test_an_untouched_trail_verifies(case, runner):
    code, output = verify(runner)
    assert code == 0, output
    assert output.startswith("OK: 6 events verified (2 applications, their heads and states)")


def test_deleting_the_last_event_is_seen(case, runner):
    application, begun = case
    db.session.execute(sa.delete(Event).where(Event.application_id == begun.id, Event.seq == 2))
    db.session.commit()
    code, output = verify(runner)
    assert code == 1
    assert (f"BROKEN: {begun.reference} head: 2 events were recorded but the trail ends "
            "at event 1") in output
    assert application.reference not in output
    assert "The audit trail does not verify: 1 problem" in output


@pytest.mark.parametrize("head_too", [False, True])
def test_deleting_every_event_is_seen(case, runner, head_too):
    _, begun = case
    db.session.execute(sa.delete(Event).where(Event.application_id == begun.id))
    if head_too:
        db.session.execute(sa.delete(AuditHead).where(
            AuditHead.chain == f"application:{begun.id}"))
    db.session.commit()
    code, output = verify(runner)
    assert code == 1
    assert f"BROKEN: {begun.reference} head: " + (
        "none is recorded" if head_too else "2 events were recorded") in output


def test_setting_the_head_back_by_hand_is_seen(case, runner):
    _, begun = case
    first = db.session.scalar(select(Event).where(Event.application_id == begun.id,
                                                  Event.seq == 1))
    db.session.execute(sa.delete(Event).where(Event.application_id == begun.id, Event.seq == 2))
    db.session.execute(sa.update(AuditHead).where(
        AuditHead.chain == f"application:{begun.id}").values(length=1, hash=first.hash))
    db.session.commit()
    code, output = verify(runner)
    assert code == 1 and f"{begun.reference} head: its content was changed" in output


def plain_sha256(event: Event) -> str:
    """How the trail was hashed before it was keyed, as anyone can recompute it."""
    canonical = json.dumps(audit.event_content(event), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_rewriting_an_event_and_hashing_the_rest_again_is_seen(case, runner):
    application, _ = case
    events = list(db.session.scalars(select(Event).where(Event.application_id == application.id)
                                      .order_by(Event.seq)))
    events[1].comment = "rewritten"
    for before, event in zip(events[:-1], events[1:], strict=True):
        event.prev_hash = before.hash
        event.hash = plain_sha256(event)
        db.session.flush()
    db.session.execute(sa.update(AuditHead).where(
        AuditHead.chain == f"application:{application.id}").values(hash=events[-1].hash))
    db.session.commit()
    code, output = verify(runner)
    assert code == 1
    assert f"BROKEN: {application.reference} event 2: its content was changed" in output


def test_changing_a_state_directly_is_seen_and_named(case, runner):
    application, bystander = case
    db.session.execute(sa.update(Application).where(Application.id.in_(
        [application.id, bystander.id])).values(state="approved"))
    db.session.commit()
    code, output = verify(runner)
    assert code == 1
    assert (f"BROKEN: {application.reference} state: 'approved', but its trail leads to "
            "'business_case'") in output
    assert f"{bystander.reference} state: 'approved', but its trail leads to 'eoi_draft'" in output
    assert "2 problems" in output


class TestKeys:
    def test_the_wrong_key_fails(self, case, app, runner):
        app.config["AUDIT_KEYS"] = {"test": OTHER_KEY}
        code, output = verify(runner)
        assert code == 1 and "event 1: its content was changed" in output

    def test_an_old_key_still_verifies_the_events_it_signed(self, case, app, act, people, runner):
        application, _ = case
        app.config["AUDIT_KEYS"] = {"test": AUDIT_KEY, "2027": OTHER_KEY}
        app.config["AUDIT_KEY_ID"] = "2027"
        act(people.applicant, application, "withdraw")
        assert [e.key_id for e in db.session.scalars(select(Event).where(
            Event.application_id == application.id).order_by(Event.seq))][-2:] == ["test", "2027"]
        assert verify(runner)[0] == 0
        del app.config["AUDIT_KEYS"]["test"]
        code, output = verify(runner)
        assert code == 1
        assert "was recorded with key 'test', which AUDIT_KEYS does not have" in output

    def test_rekey_signs_unkeyed_events_and_retires_a_key(self, case, app, runner):
        application, _ = case
        events = list(db.session.scalars(select(Event).order_by(Event.application_id, Event.seq)))
        last_hash = {}
        for event in events:  # as a trail recorded before keys is left by the migration
            event.key_id = None
            event.prev_hash = last_hash.get(event.application_id, "0" * 64)
            event.hash = last_hash[event.application_id] = plain_sha256(event)
            db.session.flush()
        db.session.execute(sa.delete(AuditHead))
        db.session.commit()
        code, output = verify(runner)
        assert code == 1 and "is not keyed" in output
        app.config["AUDIT_KEYS"] = {"test": AUDIT_KEY, "2027": OTHER_KEY}
        app.config["AUDIT_KEY_ID"] = "2027"
        result = runner.invoke(args=["audit", "rekey"])
        assert result.exit_code == 0 and "OK: 6 events signed with key '2027'" in result.output
        del app.config["AUDIT_KEYS"]["test"]
        assert verify(runner)[0] == 0

    def test_rekey_refuses_a_broken_chain(self, case, runner):
        application, _ = case
        db.session.execute(sa.update(Event).where(Event.application_id == application.id,
                                                  Event.seq == 2).values(comment="rewritten"))
        db.session.commit()
        result = runner.invoke(args=["audit", "rekey"])
        assert result.exit_code == 1
        assert f"{application.reference} event 2: its content was changed" in result.output
        assert "Nothing was re-keyed" in result.output


def test_rekey_refuses_a_chain_cut_short(case, runner):
    _, begun = case
    db.session.execute(sa.delete(Event).where(Event.application_id == begun.id, Event.seq == 2))
    db.session.commit()
    result = runner.invoke(args=["audit", "rekey"])
    assert result.exit_code == 1
    assert f"{begun.reference} head: 2 events were recorded" in result.output
