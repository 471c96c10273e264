"""Forms built at runtime from workflow fields: every field type, dates typed in three boxes,
required and partial saving, the confirmation box, the version, and the data they give back."""

import re
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from assettransfer.services.errors import FieldError, ValidationFailed
from assettransfer.web.forms import apply_errors
from assettransfer.web.forms.workflow import (
    action_form,
    form_class,
    form_comment,
    form_data,
    form_version,
    initial_values,
)
from assettransfer.workflow.definition import Action
from assettransfer.workflow.fields import Field, Option

FIELDS = (
    Field("title", "Title", "text", required=True),
    Field("story", "Your story", "long_text", hint="A few sentences."),
    Field("members", "Members", "number"),
    Field("price", "Price", "money"),
    Field("on", "Date of the meeting", "date", required=True),
    Field("kind", "Kind", "choice", options=(Option("a", "Alpha"), Option("b", "Beta"))),
    Field("agreed", "Agreed?", "yes_no"),
    Field("email", "Email", "email"),
    Field("postcode", "Postcode", "postcode"),
    Field("secret", "Password", "password"),
)
GOOD = {"title": " Hello ", "story": "Once", "members": "1,200", "price": "£1,500.5",
        "on": ["14", "1", "2027"], "kind": "b", "agreed": "no", "email": "Jo@Example.org",
        "postcode": "eh1 1yz", "secret": " s3cret ", "version": "3"}


def post(app, data: dict, partial=False, **class_kwargs):
    formdata = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            formdata.add(key, item)
    with app.test_request_context(method="POST", data=formdata):
        form = form_class(FIELDS, **class_kwargs)()
        form.partial = partial
        valid = form.validate()
        html = "".join(str(field()) for field in form)
        return form, valid, html


class TestFieldTypes:
    def test_good_input_becomes_service_data(self, app):
        form, valid, _ = post(app, GOOD)
        assert valid, form.errors
        assert form_data(form, FIELDS) == {
            "title": "Hello", "story": "Once", "members": 1200, "price": "1500.50",
            "on": "2027-01-14", "kind": "b", "agreed": False, "email": "Jo@example.org",
            "postcode": "EH1 1YZ", "secret": " s3cret "}
        assert form_version(form) == 3

    def test_widgets(self, app):
        _, _, html = post(app, {})
        assert 'class="govuk-input__prefix" aria-hidden="true">£<' in html
        assert re.search(r'<textarea class="govuk-textarea[^"]*" id="story" name="story" rows="5"',
                         html)
        assert 'aria-describedby="story-hint"' in html
        assert 'id="on-day"' in html and 'id="on-month"' in html and 'id="on-year"' in html
        assert 'type="password"' in html and 'type="email"' in html
        assert "govuk-radios--inline" in html  # yes/no side by side
        assert 'inputmode="decimal"' in html

    @pytest.mark.parametrize("field, value, message", [
        ("title", "", "Enter title"),
        ("title", "x" * 501, "Title must be 500 characters or fewer"),
        ("members", "many", "Members must be a number"),
        ("price", "12.345", "Price must not have more than 2 decimal places (pence)"),
        ("kind", "z", "Select kind from the list"),
        ("agreed", "perhaps", "Select yes or no for agreed"),
        ("email", "jo at example", "Email must be an email address, like name@example.org"),
        ("postcode", "12345", "Postcode must be a full UK postcode, like EH1 1YZ"),
    ])
    def test_bad_input(self, app, field, value, message):
        form, valid, _ = post(app, GOOD | {field: value})
        assert not valid
        assert form[field].errors == [message]


class TestDates:
    @pytest.mark.parametrize("parts, message", [
        (["", "", ""], "Enter date of the meeting"),
        (["14", "", "2027"], "Date of the meeting must include a month"),
        (["", "", "2027"], "Date of the meeting must include a day and a month"),
        (["31", "2", "2027"], "Date of the meeting must be a real date"),
        (["a", "b", "c"], "Date of the meeting must be a real date"),
        (["1", "2", "27"], "Year must include 4 numbers"),
    ])
    def test_gov_uk_messages(self, app, parts, message):
        form, valid, html = post(app, GOOD | {"on": parts})
        assert not valid and form.on.errors == [message]
        # What was typed is shown again, in the boxes, marked as wrong.
        for part in parts:
            if part:
                assert f'value="{part}"' in html
        assert "govuk-input--error" in html

    @pytest.mark.parametrize("parts", [None, ["14"], ["14", "1", "2027", "9"]])
    def test_missing_or_extra_boxes_never_crash(self, app, parts):
        data = {k: v for k, v in GOOD.items() if k != "on"}
        if parts is not None:
            data["on"] = parts
        form, valid, html = post(app, data)
        if parts and len(parts) == 4:
            assert valid and form.on.data == date(2027, 1, 14)
        else:
            assert not valid and form.on.errors
        assert html.count('name="on"') == 3

    def test_shown_from_a_stored_iso_date(self, app):
        with app.test_request_context():
            form = form_class(FIELDS)(data=initial_values(FIELDS, {"on": "2027-03-05"}))
            html = str(form.on())
        assert 'value="5"' in html and 'value="3"' in html and 'value="2027"' in html


class TestPartialAndRequired:
    def test_partial_allows_blanks_but_not_wrong_values(self, app):
        form, valid, _ = post(app, {"version": "1", "story": "Only this"}, partial=True)
        assert valid, form.errors
        data = form_data(form, FIELDS)
        assert data["story"] == "Only this" and data["title"] is None and data["on"] is None
        form, valid, _ = post(app, {"version": "1", "members": "x"}, partial=True)
        assert not valid and form.members.errors == ["Members must be a number"]

    def test_version_is_needed(self, app):
        form, valid, _ = post(app, GOOD | {"version": ""})
        assert not valid
        assert form.version.errors == ["This page is out of date: reload it and try again"]


class TestActionForm:
    ACTION = Action("withdraw", "Withdraw the nomination", ("draft",), "withdrawn", ("applicant",),
                    fields=(Field("reasons", "Why?", "long_text"),),
                    confirm="Withdrawing ends this nomination.")

    def test_comment_confirmation_and_version(self, app, make):
        application = make.ApplicationFactory()
        with app.test_request_context():
            form = action_form(self.ACTION, application)
            assert form.version.data == application.version
            html = str(form.confirmed())
        assert "Yes, withdraw the nomination" in html
        assert "Withdrawing ends this nomination." in html
        assert "app-confirm" in html

    def test_unticked(self, app):
        with app.test_request_context(method="POST", data={"version": "1", "comment": " Bye "}):
            form = action_form(self.ACTION)
            assert not form.validate()
            assert form.confirmed.errors == [
                "Tick the box to confirm you want to withdraw the nomination"]
            assert form_comment(form) == "Bye"

    def test_reserved_names_are_refused(self):
        with pytest.raises(ValueError, match="cannot be called 'data'"):
            form_class((Field("data", "Data", "text"),))


def test_service_errors_land_on_their_fields(app):
    with app.test_request_context(method="POST", data={"version": "1"}):
        form = form_class(FIELDS)()
        form.validate()
        apply_errors(form, ValidationFailed("x", [
            FieldError("data.title", "Taken"), FieldError("", "A guard failed"),
            FieldError("data.nope", "Unknown")]), prefix="data.")
        assert "Taken" in form.title.errors
        assert form.form_errors == ["A guard failed", "Unknown"]
        plain = form_class(FIELDS)()
        apply_errors(plain, ValidationFailed("Nothing saved"))
        assert plain.form_errors == ["Nothing saved"]
