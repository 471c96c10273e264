"""The working calendar in use, as ``flask calendar show`` prints it and as council staff see it
at ``/council/calendar``: every day off with its source, and the holidays not observed."""
import pytest

from assettransfer.extensions import db

NOT_OBSERVED = [{"date": "2026-06-15", "name": "World Cup holiday",
                 "source": "Council minute 7, 12 March 2026"}]


@pytest.fixture
def config_overrides():
    return {"AUTHORITY_NATION": "scotland", "LOCAL_HOLIDAYS": ["2026-09-14"],
            "HOLIDAYS_NOT_OBSERVED": NOT_OBSERVED}


def test_the_command_lists_days_off_with_their_sources(runner):
    result = runner.invoke(args=["calendar", "show", "--year", "2026"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("Working calendar, 2026: Scottish bank holidays and the council's local "
                        "holidays (251 working days)")
    assert any("Monday 30 November 2026" in ln and "Saint Andrew's Day" in ln
               and "holidays package" in ln for ln in lines)
    assert any("Monday 14 September 2026" in ln and "the LOCAL_HOLIDAYS setting" in ln
               for ln in lines)
    removed = lines.index("Bank holidays the council does not observe:")
    assert "World Cup holiday" in lines[removed + 1]
    assert "Council minute 7" in lines[removed + 1]
    assert not any("15 June" in ln for ln in lines[:removed])


def test_the_command_shows_another_nations_calendar(runner):
    result = runner.invoke(args=["calendar", "show", "--nation", "england", "--year", "2027"])
    assert result.exit_code == 0, result.output
    assert "Easter Monday" in result.output and "Saint Andrew" not in result.output
    refused = runner.invoke(args=["calendar", "show", "--nation", "france"])
    assert refused.exit_code == 2 and "france" in refused.output


def test_council_staff_see_the_calendar_page(client, login_as, make, page):
    officer = make.UserFactory(officer=True)
    db.session.commit()
    login_as(officer)
    text = page(client.get("/council/calendar/?year=2026"))
    assert "Working calendar 2026" in text and "251 working days" in text
    assert "Monday 14 September 2026 Local holiday the LOCAL_HOLIDAYS setting" in text
    assert ("Bank holidays the council does not observe Date Holiday Source "
            "Monday 15 June 2026 World Cup holiday Council minute 7, 12 March 2026") in text
    assert "Easter Monday" in page(client.get("/council/calendar/?year=2027&nation=wales"))
    assert client.get("/council/calendar/?nation=france").status_code == 404
    assert client.get("/council/calendar/?year=1999").status_code == 404


def test_the_group_cannot_see_the_council_calendar(client, login_as, make):
    login_as(make.UserFactory())
    assert client.get("/council/calendar/").status_code == 403
