"""Form and action fields turn raw input into stored values, or say in words what is wrong."""
from datetime import date
from decimal import Decimal

import pytest

from assettransfer.models import Application, LegalForm
from assettransfer.services.records import by_id
from assettransfer.workflow.fields import Field, FieldValueError, Option


@pytest.mark.parametrize(("ftype", "raw", "stored"), [
    ("text", "  Riverside  ", "Riverside"),
    ("number", "1,250", 1250),
    ("number", 2.5, 2.5),
    ("money", "£12,500.5", "12500.50"),
    ("money", 0, "0.00"),
    ("date", "2027-01-14", "2027-01-14"),
    ("date", date(2027, 1, 14), "2027-01-14"),
    ("yes_no", "Yes", True),
    ("yes_no", False, False),
    ("email", "Ann@Example.ORG", "Ann@example.org"),
    ("postcode", "eh11yz", "EH1 1YZ"),
    ("postcode", "sw1a 2aa", "SW1A 2AA"),
])
def test_values_are_cleaned_to_json_native_form(ftype, raw, stored):
    assert Field("f", "Value", ftype).clean(raw) == stored


@pytest.mark.parametrize(("ftype", "raw", "message"), [
    ("number", "many", "Value must be a number"),
    ("number", -1, "Value must be 0 or more"),
    ("number", 10**12, "Value must be 1,000,000,000 or less"),
    ("number", True, "Value must be a number"),
    ("money", "12.345", "must not have more than 2 decimal places"),
    ("money", "1e20", "must be between £0 and £9,999,999,999.99"),
    ("money", "NaN", "must be between £0"),
    ("date", "31/12/2026", "Value must be a real date, like 2027-03-31"),
    ("date", "2026-02-30", "Value must be a real date"),
    ("yes_no", "maybe", "Select yes or no for value"),
    ("email", "not-an-email", "must be an email address"),
    ("postcode", "12345", "must be a full UK postcode"),
    ("text", "a" * 501, "must be 500 characters or fewer"),
    ("text", "nul\x00byte", "contains characters that cannot be stored"),
    ("long_text", "lone \ud800 surrogate", "contains characters that cannot be stored"),
    ("text", 42, "Value must be text"),
])
def test_bad_values_are_refused_in_words(ftype, raw, message):
    with pytest.raises(FieldValueError, match=message):
        Field("f", "Value", ftype).clean(raw)


def test_required_and_optional_empties():
    assert Field("f", "Reasons", "long_text").clean("   ") is None
    with pytest.raises(FieldValueError, match="Enter reasons"):
        Field("f", "Reasons", "long_text", required=True).clean("")


def test_choices_only_take_their_options():
    field = Field("kind", "Type of request", "choice",
                  options=(Option("lease", "A lease"), Option("ownership", "Ownership")))
    assert field.clean("lease") == "lease"
    with pytest.raises(FieldValueError, match="one of lease, ownership"):
        field.clean("gift")


def test_typed_values_for_documents_and_guards():
    assert Field("d", "Date", "date").typed("2027-01-14") == date(2027, 1, 14)
    assert Field("m", "Rent", "money").typed("1.00") == Decimal("1.00")


LEGAL_FORM = Field("legal_form", "Legal form", "choice",
                   options=(Option("scio", "SCIO"), Option("other", "Other")))


@pytest.mark.parametrize(("field", "stored", "words"), [
    (LEGAL_FORM, "scio", "SCIO"),
    (LEGAL_FORM, LegalForm.SCIO, "SCIO"),  # an organisation's column holds the enum
    (LEGAL_FORM, "gone", "gone"),  # an option since removed from the file
    (Field("y", "Owned?", "yes_no"), True, "Yes"),
    (Field("y", "Owned?", "yes_no"), False, "No"),
    (Field("m", "Rent", "money"), "12500.50", "£12,500.50"),
    (Field("d", "By", "date"), "2027-01-14", "14 January 2027"),
    (Field("n", "Members", "number"), 25, "25"),
    (Field("t", "Name", "text"), "Riverside", "Riverside"),
    (Field("t", "Name", "text"), "", None),
    (Field("y", "Owned?", "yes_no"), None, None),
])
def test_a_stored_value_in_words(field, stored, words):
    assert field.in_words(stored) == words


def test_passwords_are_secret():
    assert Field("p", "Password", "password").secret
    assert not Field("t", "Name", "text").secret


@pytest.mark.parametrize("raw", ["x", None, 0, -5, 2**31, 10**30, "99999999999999999999"])
def test_ids_no_row_can_have_find_nothing(app, raw):
    assert by_id(Application, raw) is None
