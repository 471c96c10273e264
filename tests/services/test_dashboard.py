"""The council dashboard's service: stage counts, overdue and due-soon lists, the work queue."""
from datetime import timedelta

import pytest

from assettransfer.extensions import db
from assettransfer.services.dashboard import board
from assettransfer.services.errors import NotAllowed
from assettransfer.workflow.calendar import uk_today
from tests.workflow.conftest import act, asset, new_application, people  # noqa: F401

TODAY = uk_today()


@pytest.fixture
def officer(make):
    return make.UserFactory(officer=True)


@pytest.fixture
def at(make):
    def build(state, due_in=None, **kwargs):
        due = None if due_in is None else TODAY + timedelta(days=due_in)
        return make.ApplicationFactory(state=state, next_due_on=due, **kwargs)

    return build


def refs(page) -> list[str]:
    return [row.reference for row in page.items]


def test_overdue_is_past_its_next_deadline(officer, at):
    late = at("eoi_submitted", due_in=-3)
    later = at("assessment", due_in=-1)
    at("eoi_submitted", due_in=0)  # due today is not yet overdue
    at("eoi_draft")  # no deadline running
    db.session.commit()
    result = board(officer, filters={}, awaiting_role=None)
    assert refs(result.overdue) == [late.reference, later.reference]
    assert result.overdue.total == 2


def test_a_finished_case_is_never_overdue(officer, people, new_application, act):  # noqa: F811
    case = new_application("council-cat")
    act(people.applicant, case, "submit_eoi", on=TODAY - timedelta(days=90))
    assert board(officer, filters={}, awaiting_role=None).overdue.total == 1
    act(people.applicant, case, "withdraw", reasons="We found another building.")
    result = board(officer, filters={}, awaiting_role=None)
    assert (result.overdue.total, result.overdue.items) == (0, [])
    assert result.stages["council-cat"] == {"withdrawn": 1}


def test_due_soon_runs_from_today_to_the_last_day_inclusive(officer, at):
    today, last_day = at("eoi_submitted", due_in=0), at("assessment", due_in=7)
    at("eoi_submitted", due_in=8)
    at("eoi_submitted", due_in=-1)
    db.session.commit()
    result = board(officer, filters={}, awaiting_role=None, due_within_days=7)
    assert refs(result.due_soon) == [today.reference, last_day.reference]
    assert result.due_soon.total == 2


def test_lists_are_cut_to_their_size_but_totals_count_everything(officer, at):
    rows = [at("eoi_submitted", due_in=-n) for n in range(1, 6)]
    db.session.commit()
    result = board(officer, filters={}, awaiting_role=None, list_size=2)
    assert refs(result.overdue) == [rows[4].reference, rows[3].reference]
    assert result.overdue.total == 5


def test_rows_carry_what_the_tables_show(officer, at, make):
    library = make.AssetFactory(name="Old Library")
    group = make.OrganisationFactory(name="Friends of the Library")
    case = at("eoi_submitted", due_in=2, asset=library, organisation=group)
    db.session.commit()
    row = board(officer, filters={}, awaiting_role="officer").queue.items[0]
    assert (row.id, row.reference, row.workflow, row.state, row.next_due_on) == (
        case.id, case.reference, "council-cat", "eoi_submitted", TODAY + timedelta(days=2))
    assert (row.asset_name, row.organisation_name) == ("Old Library", "Friends of the Library")


def test_the_queue_is_what_waits_for_the_role_soonest_first_and_paged(officer, at):
    waiting = [at("eoi_submitted", due_in=n) for n in (9, 3, 5)]
    at("recommended", due_in=1)  # the decision maker's move
    at("eoi_draft")  # the group's move
    db.session.commit()
    first = board(officer, filters={}, awaiting_role="officer", per_page=2)
    assert refs(first.queue) == [waiting[1].reference, waiting[2].reference]
    assert (first.queue.total, first.queue.pages) == (3, 2)
    second = board(officer, filters={}, awaiting_role="officer", page=2, per_page=2)
    assert refs(second.queue) == [waiting[0].reference]
    everything = board(officer, filters={"state": "recommended"}, awaiting_role=None)
    assert everything.queue.total == 1


def test_stage_counts_cover_every_application(officer, at):
    for state in ("eoi_submitted", "eoi_submitted", "completed"):
        at(state)
    at("nominated", workflow="england-acv")
    db.session.commit()
    assert board(officer, filters={}, awaiting_role=None).stages == {
        "council-cat": {"eoi_submitted": 2, "completed": 1}, "england-acv": {"nominated": 1}}


def test_bad_queue_filters_are_reported_and_the_rest_still_shown(officer, at):
    late = at("eoi_submitted", due_in=-1)
    db.session.commit()
    result = board(officer, filters={"workflow": "nope", "asset_type": "castle"},
                   awaiting_role=None)
    assert {e.field for e in result.filter_error.errors} == {"workflow", "asset_type"}
    assert (result.queue.items, result.queue.total) == ([], 0)
    assert refs(result.overdue) == [late.reference]


def test_only_council_staff_have_a_dashboard(make):
    with pytest.raises(NotAllowed):
        board(make.UserFactory(), filters={}, awaiting_role=None)


def test_queue_totals_agree_whether_added_up_from_the_stages_or_counted(officer, at):
    # Unfiltered, the queue is whole stages and its total comes from the stage tallies; filtered,
    # its rows are counted. Both must give what the queue lists.
    at("eoi_submitted", due_in=-2)
    at("eoi_submitted", due_in=4)
    at("recommended", due_in=-1)
    at("completed")
    at("nominated", workflow="england-acv", due_in=3)
    db.session.commit()
    for role, filters, expected in [
        ("officer", {}, 3),  # the two submitted expressions of interest, the nomination
        ("officer", {"workflow": None, "overdue": False}, 3),
        ("officer", {"overdue": True}, 1),
        (None, {}, 5),
        (None, {"state": None, "asset_type": ""}, 5),
        (None, {"overdue": True}, 2),
        (None, {"workflow": "england-acv"}, 1),
    ]:
        result = board(officer, filters=filters, awaiting_role=role, per_page=100)
        assert (result.queue.total, len(result.queue.items)) == (expected,) * 2, (role, filters)


def test_zero_days_ahead_is_a_filter():
    from assettransfer.services.queues import unfiltered

    assert unfiltered({}) and unfiltered({"workflow": None, "overdue": False, "state": ""})
    assert not unfiltered({"due_within_days": 0})
    assert not unfiltered({"overdue": True})
