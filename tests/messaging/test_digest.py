"""The council team's weekly digest: new requests, overdue and due-this-week cases, to each
officer and decision maker, once a week."""
from datetime import date

from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.jobs.queue import WEEKLY_DIGEST, celery_for
from assettransfer.models import Message


def test_flask_messages_digest_writes_each_officers_summary_once_a_week(
        app, runner, new_application, act, people):
    app.config["JOBS_BROKER_URL"] = "redis://127.0.0.1:6379/15"  # only read, never connected
    late = new_application("council-cat")
    act(people.applicant, late, "submit_eoi", on=date(2026, 11, 2))  # due 27 November
    result = runner.invoke(args=["messages", "digest", "--today", "2026-12-07"])
    assert result.output == "3 weekly digests written\n", result.output
    digests = list(db.session.scalars(select(Message).where(Message.kind == "weekly_digest")
                                      .order_by(Message.id)))
    assert [m.to_name for m in digests] == ["Owen Officer", "Olga Officer", "Dee Cider"]
    body = digests[0].body
    assert f"Overdue: 1\n- {late.reference}: {late.asset.name}, due 27 November 2026" in body
    assert "Due in the next 7 days: 0" in body
    assert "http://127.0.0.1:5000/council/\n" in body
    again = runner.invoke(args=["messages", "digest", "--today", "2026-12-09"])
    assert again.output == "0 weekly digests written\n"  # the same week
    schedule = celery_for(app).conf.beat_schedule
    assert schedule["weekly-digest"]["task"] == WEEKLY_DIGEST
