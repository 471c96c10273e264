"""The council dashboard: counts by stage, overdue and due lists, and the work queue."""

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import AssetType, Role
from assettransfer.workflow.calendar import uk_today
from tests.workflow.conftest import act, asset, new_application, people  # noqa: F401

TODAY = uk_today()


def references(response, table_id: str = "queue-table") -> list[str]:
    body = response.get_data(as_text=True)
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', body, re.DOTALL)
    return re.findall(r">([A-Z]+-\d{4}-\d{4}|TST-\d{4}-\d{4})</a>", table.group(0)) if table else []


@pytest.fixture
def cases(make, people):  # noqa: F811
    """Raw rows at chosen stages (no events: the dashboard only reads the rows)."""

    def build(n=1, workflow="council-cat", state="eoi_submitted", due_in=None, asset_type=None):
        rows = []
        for _ in range(n):
            kwargs = {"workflow": workflow, "state": state, "organisation": people.organisation}
            if due_in is not None:
                kwargs["next_due_on"] = TODAY + timedelta(days=due_in)
            if asset_type is not None:
                kwargs["asset"] = make.AssetFactory(asset_type=asset_type)
            rows.append(make.ApplicationFactory(**kwargs))
        db.session.commit()
        return rows

    return build


class TestQueue:
    def test_officer_sees_what_waits_for_officers_soonest_first(
            self, client, login_as, people, cases):  # noqa: F811
        later = cases(due_in=15)[0]
        sooner = cases(due_in=2)[0]
        cases(state="recommended", due_in=1)  # waits for a decision maker
        cases(state="eoi_draft")  # waits for the group
        login_as(people.officer)
        response = client.get("/council/")
        assert response.status_code == 200
        assert references(response) == [sooner.reference, later.reference]
        assert "Waiting for your role (officer)" in response.get_data(as_text=True)

    def test_decision_maker_sees_recommended_cases(self, client, login_as, people, cases):  # noqa: F811
        cases(n=2)
        recommended = cases(state="recommended")[0]
        login_as(people.decision_maker)
        assert references(client.get("/council/")) == [recommended.reference]

    def test_admin_and_show_all_see_everything(self, client, login_as, people, cases):  # noqa: F811
        rows = cases(n=2) + cases(state="recommended") + cases(state="eoi_draft")
        login_as(people.admin)
        assert len(references(client.get("/council/"))) == len(rows)
        client.post("/account/sign-out")
        login_as(people.officer)
        assert len(references(client.get("/council/?scope=all"))) == len(rows)

    @pytest.mark.parametrize("query, expected", [
        ("workflow=scotland-atr", "atr"),
        ("state=assessment&scope=all", "assessment"),
        ("asset_type=library&scope=all", "library"),
        ("overdue=y&scope=all", "overdue"),
    ])
    def test_filters(self, client, login_as, people, cases, query, expected):  # noqa: F811
        made = {
            "atr": cases(workflow="scotland-atr", state="submitted")[0],
            "assessment": cases(state="assessment")[0],
            "library": cases(asset_type=AssetType.LIBRARY)[0],
            "overdue": cases(due_in=-3)[0],
        }
        login_as(people.officer)
        assert references(client.get(f"/council/?{query}")) == [made[expected].reference]

    def test_a_bad_filter_is_reported_not_a_500(self, client, login_as, people, page):  # noqa: F811
        login_as(people.officer)
        response = client.get("/council/?workflow=nope&asset_type=castle")
        assert response.status_code == 200
        assert "There is a problem" in page(response)
        assert "Unknown workflow 'nope'" in html.unescape(page(response))
        assert "Choose a type of asset from the list" in page(response)

    def test_paginated(self, client, login_as, people, cases, app):  # noqa: F811
        app.config["PAGE_SIZE"] = 3
        rows = cases(n=7, due_in=5)
        login_as(people.officer)
        first = client.get("/council/")
        assert references(first) == [r.reference for r in rows[:3]]
        assert 'href="/council/?page=2"' in first.get_data(as_text=True)
        third = client.get("/council/?page=3&workflow=council-cat")
        assert references(third) == [rows[6].reference]
        # The filters ride along on the page links.
        assert "page=2&amp;workflow=council-cat" in third.get_data(as_text=True)


class TestLists:
    def test_overdue_and_due_this_week(self, client, login_as, people, cases):  # noqa: F811
        overdue = cases(due_in=-1)[0]
        due = cases(state="recommended", due_in=3)[0]
        cases(due_in=20)
        login_as(people.legal)  # every role sees the whole council's deadlines
        response = client.get("/council/")
        assert references(response, "overdue-table") == [overdue.reference]
        assert references(response, "due-table") == [due.reference]
        assert "Overdue (1)" in response.get_data(as_text=True)

    def test_nothing_due(self, client, login_as, people, page):  # noqa: F811
        login_as(people.officer)
        text = page(client.get("/council/"))
        assert "Nothing is overdue." in text and "Nothing else is due in the next 7 days." in text


class TestCounts:
    def test_counts_by_route_and_stage_with_labels(self, client, login_as, people, cases):  # noqa: F811
        cases(n=3)
        cases(workflow="scotland-atr", state="representations")
        login_as(people.officer)
        body = client.get("/council/").get_data(as_text=True)
        assert "Community asset transfer (3)" in body
        assert "Asset transfer request (Scotland) (1)" in body
        row = re.search(r"Expression of interest received</td>\s*<td[^>]*>\s*<a[^>]*>3<", body)
        assert row, "the stage's label and its count"
        assert "Open for representations" in body


def count_queries(app, client, url) -> int:
    statements = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    return len(statements)


def test_one_query_per_list_however_many_rows(client, login_as, people, cases, app):  # noqa: F811
    login_as(people.admin)
    cases(n=2, due_in=-1)
    few = count_queries(app, client, "/council/")
    cases(n=25, due_in=-1)
    cases(n=25, state="recommended", due_in=2)
    assert count_queries(app, client, "/council/") == few


def test_links_for_the_role(client, login_as, people, page):  # noqa: F811
    login_as(people.officer)
    body = client.get("/council/").get_data(as_text=True)
    assert 'href="/council/assets/"' in body and 'href="/account/tokens"' in body
    assert 'href="/council/users/"' not in body
    client.post("/account/sign-out")
    login_as(people.admin)
    assert 'href="/council/users/"' in client.get("/council/").get_data(as_text=True)


def test_applicants_may_not_see_it(client, login_as, people):  # noqa: F811
    assert client.get("/council/").status_code == 302
    login_as(people.applicant)
    assert client.get("/council/").status_code == 403
    assert people.applicant.role is Role.APPLICANT
