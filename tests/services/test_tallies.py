"""The stage tallies behind the dashboard's counts stay equal to counting the applications."""
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import Application
from assettransfer.services import tallies
from tests.workflow.conftest import act, asset, new_application, people  # noqa: F401


def counted() -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for workflow, state, number in db.session.execute(
        sa.select(Application.workflow, Application.state, sa.func.count())
        .group_by(Application.workflow, Application.state)
    ):
        found.setdefault(workflow, {})[state] = number
    return found


def test_kept_as_applications_start_move_and_finish(people, new_application, act):  # noqa: F811
    first, second = new_application("council-cat"), new_application("council-cat")
    assert tallies.counts() == {"council-cat": {"eoi_draft": 2}}
    act(people.applicant, first, "submit_eoi")
    assert tallies.counts() == {"council-cat": {"eoi_draft": 1, "eoi_submitted": 1}}
    act(people.applicant, first, "withdraw", reasons="We found another building.")
    act(people.applicant, second, "submit_eoi")
    assert tallies.counts() == {"council-cat": {"eoi_submitted": 1, "withdrawn": 1}} == counted()


def test_a_change_rolled_back_leaves_them_as_they_were(people, new_application):  # noqa: F811
    application = new_application("england-acv")
    application.state = "nominated"
    db.session.flush()
    assert tallies.counts() == {"england-acv": {"nominated": 1}}
    db.session.rollback()
    assert tallies.counts() == {"england-acv": {"draft": 1}} == counted()


def test_a_state_set_on_an_expired_row_still_moves_the_right_stage(make):
    application = make.ApplicationFactory(state="eoi_submitted")
    db.session.commit()  # expires the row: its old state is not loaded
    application.state = "assessment"
    db.session.commit()
    assert tallies.counts() == {"council-cat": {"assessment": 1}}


def test_deleting_an_application_takes_it_off(make):
    make.ApplicationFactory()
    drop = make.ApplicationFactory()
    db.session.commit()
    db.session.delete(drop)
    db.session.commit()
    assert tallies.counts() == {"council-cat": {"eoi_draft": 1}}


def test_recount_repairs_what_bypassed_the_app_and_says_what_was_wrong(make, runner):
    make.ApplicationFactory(state="eoi_submitted")
    make.ApplicationFactory(state="eoi_submitted")
    db.session.commit()
    db.session.execute(sa.update(Application).values(state="assessment"))  # no ORM events
    db.session.commit()
    assert tallies.counts() == {"council-cat": {"eoi_submitted": 2}}
    result = runner.invoke(args=["tallies", "recount"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "council-cat assessment: was 0, now 2",
        "council-cat eoi_submitted: was 2, now 0",
        "OK: 2 counts corrected",
    ]
    db.session.expire_all()
    assert tallies.counts() == {"council-cat": {"assessment": 2}} == counted()
    again = runner.invoke(args=["tallies", "recount"])
    assert again.output.splitlines() == ["OK: 0 counts corrected"]
