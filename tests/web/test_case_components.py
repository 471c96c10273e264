"""The shared case macros (templates/components/case.html), as the council pages use them too."""

import re
from datetime import UTC, date, datetime

import pytest
from flask import render_template_string

from assettransfer.models import Attachment, AttachmentKind, Deadline, Document, Event, User
from assettransfer.web.case_components import (
    case_stages,
    describe_event,
    event_details,
    whose_move_text,
)

NOW = datetime(2027, 1, 4, 10, 30, tzinfo=UTC)
TODAY = date(2027, 1, 20)


def render(macro: str, call: str, **context) -> str:
    html = render_template_string(
        f'{{% from "components/case.html" import {macro} %}}{call}', **context)
    return re.sub(r"\s+", " ", html)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def cat(app):
    return app.extensions["workflows"]["council-cat"]


class FakeApplication:
    def __init__(self, state):
        self.state = state


def deadline(name, due, met=False, superseded=False):
    return Deadline(name=name, due_on=due, starts_on=date(2026, 12, 1), rule=f"rule for {name}",
                    met_at=NOW if met else None, superseded_at=NOW if superseded else None)


class TestStageDiagram:
    def test_applicant_labels_current_and_done(self, app, cat):
        events = [Event(from_state=None, to_state="eoi_draft"),
                  Event(from_state="eoi_draft", to_state="eoi_submitted"),
                  Event(from_state="eoi_submitted", to_state="business_case")]
        with app.test_request_context():
            html = render("stage_diagram", "{{ stage_diagram(w, a, 'applicant', events) }}",
                          w=cat, a=FakeApplication("business_case"), events=events)
        current = re.findall(r'app-stage-list__item--current" aria-current="step"> '
                             r'<span class="app-stage-list__label">([^<]+)<', html)
        assert current == ["Invited to send a business case"]
        assert html.count("app-stage-list__item--done") == 2
        assert text_of(html).count("Done") == 2 and "Current stage" in text_of(html)

    def test_council_labels_and_a_final_outcome(self, app, cat):
        with app.test_request_context():
            html = render("stage_diagram", "{{ stage_diagram(w, a, 'council') }}",
                          w=cat, a=FakeApplication("refused"))
        text = text_of(html)
        assert "Business case in preparation" in text  # the staff label
        assert re.search(r'<li aria-current="step"><strong>Refused</strong>', html)

    def test_stages_in_python(self, cat):
        stages = case_stages(cat, FakeApplication("eoi_draft"))
        assert [s.label for s in stages.outcomes] == [
            "Not taken forward", "Refused", "Transfer completed", "Withdrawn"]
        assert stages.current.name == "eoi_draft"
        with pytest.raises(ValueError):
            case_stages(cat, FakeApplication("eoi_draft"), "public")


class TestDeadlinesTable:
    def test_status_in_words_and_dates_with_weekdays(self, app, cat):
        rows = [deadline("eoi_response", date(2027, 1, 14), met=True),
                deadline("decision", date(2027, 1, 19)),
                deadline("unknown_rule", date(2027, 2, 1)),
                deadline("eoi_response", date(2027, 1, 25), superseded=True)]
        with app.test_request_context():
            html = render("deadlines_table", "{{ deadlines_table(rows, w, today, 'Deadlines') }}",
                          rows=rows, w=cat, today=TODAY)
        text = text_of(html)
        assert "Council's response to the expression of interest Thursday 14 January 2027" in \
            text.replace("&#39;", "'")
        assert "Met" in text and "Missed" in text and "Pending" in text
        assert "No longer applies" in text
        assert "Unknown rule" in text and "rule for decision" in text
        assert '<time datetime="2027-01-14">' in html
        assert '<caption class="govuk-table__caption govuk-table__caption--m">Deadlines' in html

    def test_none(self, app, cat):
        with app.test_request_context():
            html = render("deadlines_table", "{{ deadlines_table([], w, today) }}", w=cat,
                          today=TODAY)
        assert "There are no deadlines yet" in html


class TestTimeline:
    def test_newest_first_with_who_when_stage_and_comment(self, app, cat):
        events = [
            Event(action="create", actor_name="Ann", actor_role="applicant", at=NOW,
                  to_state="eoi_draft", comment="", payload={}),
            Event(action="add_attachment", actor_name="Ann", actor_role="applicant", at=NOW,
                  comment="", payload={"filename": "plan.pdf"}),
            Event(action="accept_eoi", actor_name="Owen", actor_role="officer", at=NOW,
                  from_state="eoi_submitted", to_state="business_case",
                  comment="Welcome.\n\nSend a cash flow.",
                  payload={"message": "Include five years.\nAnd a budget."}),
        ]
        with app.test_request_context():
            html = render("timeline", "{{ timeline(events, w, 'council') }}", events=events, w=cat)
            without = render("timeline", "{{ timeline(events, w, 'council', details=false) }}",
                             events=events, w=cat)
        text = text_of(html)
        assert text.index("Invite a business case") < text.index("Document uploaded: plan.pdf") \
            < text.index("Application started")
        assert "Owen (Officer), 4 January 2027 at 10:30am" in text
        assert "Stage: Business case in preparation" in text
        assert html.count('<p class="govuk-body">') == 2  # the comment's two paragraphs
        assert "Message to the group Include five years. And a budget." in text
        assert "Include five years" not in without

    def test_event_details(self, cat):
        sign = Event(action="sign", payload={"full_name": "Ann Lead", "pack_sha256": "ab"})
        assert event_details(sign, cat) == [("Fingerprint (SHA-256) of the pack you read", "ab"),
                                            ("Your full name", "Ann Lead")]
        approve = Event(action="approve", payload={"transfer_type": "lease",
                                                   "rent_or_price": "1.00", "term_years": None})
        assert event_details(approve, cat) == [("Type of transfer", "Lease"),
                                               ("Rent per year or price", "£1.00")]
        assert event_details(Event(action="create", payload={"x": 1}), cat) == []

    def test_words_for_events(self, cat):
        assert describe_event(Event(action="save_answers", payload={"changed": {"contact": {}}}),
                              cat) == "Answers saved: Contact details"
        assert describe_event(Event(action="something_new", payload={})) == "Something new"
        assert whose_move_text("legal") == "The council’s legal team"
        assert whose_move_text("legal", "council") == "Legal"


class TestFiles:
    def test_documents_with_superseded_versions(self, app):
        documents = [
            Document(id=7, kind="legal_pack", title="Legal pack", version=1, sha256="a" * 64,
                     size=2048, page_count=3, issued_at=NOW, superseded_at=NOW),
            Document(id=8, kind="legal_pack", title="Legal pack", version=2, sha256="b" * 64,
                     size=3 * 1024 * 1024, page_count=1, issued_at=NOW),
        ]
        with app.test_request_context():
            html = render("documents_list", "{{ documents_list(docs, [], replaced) }}",
                          docs=documents, replaced={7: documents[1]})
        text = text_of(html)
        assert 'href="/files/documents/7"' in html and 'href="/files/documents/8"' in html
        assert text.count("Superseded") == 1
        assert ("Version 1, issued 4 January 2027 , superseded by version 2 on 4 January 2027"
                in text)
        assert "PDF, 3 pages, 2.0 KB" in text and "PDF, 1 page, 3.0 MB" in text
        assert "aaaaaaaaaaaa…" in text and f'title="{"a" * 64}"' in html

    def test_attachments_with_a_control(self, app):
        files = [Attachment(id=3, kind=AttachmentKind.BUSINESS_PLAN, original_filename="plan.pdf",
                            size=1536, uploaded_at=NOW, uploaded_by=User(name="Ann"))]
        with app.test_request_context():
            html = render("attachments_list",
                          "{% call(a) attachments_list(files) %}<button>Remove {{ a.id }}</button>"
                          "{% endcall %}", files=files)
            plain = render("attachments_list", "{{ attachments_list(files) }}", files=files)
        assert 'href="/files/attachments/3"' in html
        assert "Business plan, 1.5 KB" in text_of(html)
        assert "<button>Remove 3</button>" in html and "<button>" not in plain

    def test_empty_lists(self, app):
        with app.test_request_context():
            assert "No documents have been issued yet" in render(
                "documents_list", "{{ documents_list([]) }}")
            assert "No files have been uploaded yet" in render(
                "attachments_list", "{{ attachments_list([]) }}")
