"""How dates, money and text are written, for pages and letters alike."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from assettransfer.wording import (
    as_list,
    display_value,
    long_date,
    money,
    number,
    paragraphs,
    register_filters,
    uk_datetime,
    weekday_date,
)


def test_dates_in_words():
    assert long_date(date(2027, 1, 14)) == "14 January 2027"
    assert weekday_date(date(2027, 1, 14)) == "Thursday 14 January 2027"
    assert long_date("2027-01-04") == "4 January 2027"
    # A letter's date is the UK date: 23:30 UTC on 30 June is 00:30 BST on 1 July.
    assert long_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert long_date(None) == ""


@pytest.mark.parametrize(
    "utc, shown",
    [
        (datetime(2026, 7, 1, 13, 5, tzinfo=UTC), "1 July 2026 at 2:05pm"),  # BST
        (datetime(2026, 1, 9, 0, 30, tzinfo=UTC), "9 January 2026 at 12:30am"),  # GMT
        (None, "Never"),
    ],
)
def test_uk_time(utc, shown):
    assert uk_datetime(utc) == shown


@pytest.mark.parametrize("value, text", [
    (Decimal(12500), "£12,500.00"), (1, "£1.00"), ("250000.5", "£250,000.50"),
    (Decimal("-3.456"), "-£3.46"), (None, ""), ("by negotiation", "by negotiation"),
    ("NaN", "NaN"),
])
def test_money(value, text):
    assert money(value) == text


def test_numbers_lists_and_paragraphs():
    assert number(Decimal("12500.00")) == "12,500"
    assert number(72.456, 1) == "72.5"
    assert (number(72, 1) == "72" and number(60, 0) == "60"
            and number(Decimal("12500.5")) == "12,500.50")
    assert as_list("a\n\nb") == ["a", "b"] and as_list(None) == [] and as_list(["x", ""]) == ["x"]
    assert paragraphs("One\nline.\n\nTwo.") == ["One line.", "Two."]
    assert display_value(Decimal(1), "rent") == "£1.00"
    assert display_value(35, "term_years") == "35"
    assert display_value("2027-05-06", "completion_by") == "6 May 2027"
    assert display_value(True) == "Yes"


def test_filters_can_be_registered_for_web_pages(app):
    register_filters(app)
    rendered = app.jinja_env.from_string("{{ d|weekday_date }} {{ m|money }}").render(
        d=date(2027, 1, 14), m=12500)
    assert rendered == "Thursday 14 January 2027 £12,500.00"
