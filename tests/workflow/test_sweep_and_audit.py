"""The deadline sweep takes due system actions once; the audit chain detects tampering."""
from datetime import date
from itertools import pairwise

import sqlalchemy as sa
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Event, SweepRun
from assettransfer.services.operations import sweep_status
from assettransfer.workflow.calendar import uk_today


def listed_with_disposal(new_application, walk, people, act, notice_on):
    app_ = walk(new_application("england-acv"), "listed")
    act(people.officer, app_, "notify_disposal", notice_received_on=notice_on, disposal_details="d")
    return app_


def test_sweep_ends_the_interim_moratorium_and_is_safe_twice(
        new_application, people, act, runner, walk):
    app_ = listed_with_disposal(new_application, walk, people, act, "2026-10-01")
    result = runner.invoke(args=["deadlines", "sweep", "--today", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert f"{app_.reference}: end_moratorium" in result.output
    db.session.refresh(app_)
    assert app_.state == "protected_period"
    again = runner.invoke(args=["deadlines", "sweep", "--today", "2026-11-20"])
    assert again.exit_code == 0 and "0 actions taken" in again.output
    event = db.session.scalar(select(Event).where(Event.action == "end_moratorium"))
    assert (event.actor_role, event.actor_id) == ("system", None)
    # 6 weeks beginning with 1 October end on 11 November, the day the moratorium expired.
    assert event.payload == {"expired_on": "2026-11-11"}


def test_sweep_leaves_a_met_interim_deadline_alone(new_application, people, act, runner, walk):
    app_ = listed_with_disposal(new_application, walk, people, act, uk_today().isoformat())
    act(people.applicant, app_, "express_interest", statement="We will bid.")
    future = uk_today().replace(year=uk_today().year + 1).isoformat()
    # A year on, the full moratorium (6 months) has ended: the group's interest kept it until then.
    result = runner.invoke(args=["deadlines", "sweep", "--today", future])
    assert result.exit_code == 0, result.output
    db.session.refresh(app_)
    assert app_.state == "protected_period"
    assert [e.action for e in db.session.scalars(
        select(Event).where(Event.action == "end_moratorium"))] == ["end_moratorium"]


def test_sweep_before_anything_is_due_does_nothing(new_application, people, act, runner, walk):
    app_ = listed_with_disposal(new_application, walk, people, act, uk_today().isoformat())
    result = runner.invoke(args=["deadlines", "sweep"])
    assert result.exit_code == 0 and "0 actions taken" in result.output
    db.session.refresh(app_)
    assert app_.state == "interim_moratorium"


def test_audit_verify_ok_then_detects_an_edited_event(new_application, people, act, runner, walk):
    app_ = walk(new_application("council-cat"), "business_case")
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and ok.output.startswith("OK: 4 events verified")
    db.session.execute(sa.update(Event).where(Event.seq == 3).values(comment="rewritten"))
    db.session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"{app_.reference} event 3: its content was changed" in broken.output


def test_audit_verify_detects_a_deleted_event(new_application, people, act, runner, walk):
    app_ = walk(new_application("council-cat"), "business_case")
    db.session.execute(sa.delete(Event).where(Event.seq == 2))
    db.session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"{app_.reference} event 3: expected event 2" in broken.output


def test_audit_chain_links_each_event_to_the_one_before(new_application, people, act):
    app_ = new_application("council-cat")
    act(people.applicant, app_, "submit_eoi")
    events = list(db.session.scalars(select(Event).order_by(Event.seq)))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in pairwise(events))


def test_each_sweep_is_recorded_with_what_it_did(new_application, people, act, runner, walk):
    app_ = listed_with_disposal(new_application, walk, people, act, "2026-10-01")
    runner.invoke(args=["deadlines", "sweep", "--today", "2026-11-20"])
    runner.invoke(args=["deadlines", "sweep", "--today", "2026-11-20"])
    first, second = db.session.scalars(select(SweepRun).order_by(SweepRun.id))
    assert (first.swept_on, first.started_by, first.taken, first.refused) == (
        date(2026, 11, 20), "command", 1, 0)
    assert first.details == [{"reference": app_.reference, "action": "end_moratorium",
                              "outcome": "taken"}]
    assert first.finished_at >= first.started_at
    assert (second.taken, second.details) == (0, [])
    status = sweep_status(date(2026, 11, 20))
    assert status.last == second and status.ran_today and status.warning is None
    assert "not run today" in sweep_status(date(2026, 11, 21)).warning


def test_a_sweep_that_stopped_part_way_is_shown_as_unfinished(app):
    db.session.add(SweepRun(swept_on=uk_today(), started_by="schedule"))
    db.session.commit()
    assert "did not finish" in sweep_status(uk_today()).warning


def test_a_sweep_that_never_ran_is_warned_of(app):
    assert "never run" in sweep_status(uk_today()).warning
