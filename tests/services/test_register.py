"""The register of requests and decisions (services.register), what of a case is public
(services.public), representations made online (services.casework) and the open data."""
import csv
import hashlib
import io
from dataclasses import fields as dataclass_fields
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from assettransfer.documents import read_document
from assettransfer.extensions import db
from assettransfer.models import (
    Event,
    Message,
    Representation,
    RepresentationSource,
)
from assettransfer.services import casework, register, register_data
from assettransfer.services.errors import NotFound, ValidationFailed
from assettransfer.services.public import (
    PUBLIC_ANSWERS,
    PUBLIC_COPY_KINDS,
    PUBLIC_DOCUMENT_KINDS,
)
from assettransfer.walks import blank_pdf
from assettransfer.workflow import workflows
from assettransfer.workflow.calendar import uk_today
from assettransfer.workflow.definition import parse_workflow
from tests.register_cases import (
    days_ago,
    decide,
    issue,
    open_for_representations,
    sent_request,
)


@pytest.fixture
def officer(make):
    return make.UserFactory(officer=True, name="Owen Officer")


@pytest.fixture
def decider(make):
    return make.UserFactory(decision_maker=True, name="Dee Cider")


def references(page) -> list[str]:
    return [entry.reference for entry in page.items]


class TestWhatIsPublic:
    def test_every_public_answer_is_a_question_of_its_form(self, app):
        for key, names in PUBLIC_ANSWERS.items():
            workflow = workflows()[key]
            asked = {f"{s.name}.{f.name}": f for s in workflow.sections for f in s.fields}
            for name in names:
                assert name in asked, f"{key}: {name} is not on the form"
                assert asked[name].type != "email" and "contact" not in name
                assert not asked[name].internal

    def test_a_stage_is_called_by_its_public_label_else_its_label(self, app):
        doc = yaml.safe_load((Path(app.config["WORKFLOWS_DIR"]) / "scotland-atr.yaml").read_text())
        doc["states"]["assessment"]["public_label"] = "Being considered"
        parsed = parse_workflow(doc, "scotland-atr.yaml", "scotland")
        assert parsed.states["assessment"].public_label == "Being considered"
        assert parsed.states["refused"].public_label == "Refused"  # its label
        assert register.stage_choices().count("Refused") == 1  # one filter value for every route

    def test_every_public_document_kind_is_one_the_workflow_issues(self, app):
        for key, kinds in PUBLIC_DOCUMENT_KINDS.items():
            assert set(kinds) <= set(workflows()[key].documents)

    def test_the_open_data_fields_are_the_entry_fields(self, app):
        assert ([f.name for f in register_data.FIELDS]
                == [f.name for f in dataclass_fields(register.RegisterEntry)])


class TestSearch:
    @pytest.fixture
    def requests(self, make, officer, decider):
        library = make.AssetFactory(name="Carnegie Library", postcode="EX2 4EF")
        park = make.AssetFactory(name="Riverside Park", postcode="EX3 1GH")
        old = sent_request("scotland-atr", "recommended", asset=library, submitted=days_ago(40))
        decide(old, decider, "refuse", "refused", reasons="The roof is unsafe.")
        open_ = sent_request("scotland-atr", "representations", asset=park,
                             submitted=days_ago(10))
        cat = sent_request("council-cat", "eoi_submitted", asset=park, submitted=days_ago(2))
        make.ApplicationFactory(workflow="council-cat", state="eoi_draft", asset=park)  # a draft
        db.session.commit()
        return old, open_, cat

    def test_every_sent_request_newest_first_never_a_draft(self, requests):
        old, open_, cat = requests
        assert references(register.search_register()) == [
            cat.reference, open_.reference, old.reference]

    @pytest.mark.parametrize("filters, expected", [
        ({"route": "council-cat"}, [2]),
        ({"stage": "Open for representations"}, [1]),
        ({"decision": "Refused"}, [0]),
        ({"decision": register.NO_DECISION}, [2, 1]),
        ({"q": "carnegie"}, [0]),
        ({"postcode": "ex3"}, [2, 1]),
        ({"submitted_from": (uk_today() - timedelta(days=11)).isoformat()}, [2, 1]),
        ({"submitted_to": (uk_today() - timedelta(days=5)).strftime("%d/%m/%Y")}, [1, 0]),
    ])
    def test_filters(self, requests, filters, expected):
        assert references(register.search_register(**filters)) == [
            requests[n].reference for n in expected]

    @pytest.mark.parametrize("filters, field", [
        ({"route": "nowhere"}, "route"), ({"stage": "Nonsense"}, "stage"),
        ({"decision": "Maybe"}, "decision"), ({"submitted_from": "31/2/2027"}, "submitted_from"),
        ({"submitted_from": "1/1/" + "9" * 20}, "submitted_from"),
        ({"submitted_from": "2027-03-01", "submitted_to": "2027-02-01"}, "submitted_to"),
    ])
    def test_unknown_filter_values_are_errors(self, requests, filters, field):
        with pytest.raises(ValidationFailed) as refused:
            register.search_register(**filters)
        assert [e.field for e in refused.value.errors] == [field]

    def test_an_entry_says_the_body_the_stage_and_the_decision(self, requests):
        old = register.search_register(q="carnegie").items[0]
        assert old.applicant == requests[0].organisation.name
        assert old.stage == "Refused" and old.decision == "Refused"
        assert old.decided_on == uk_today() and old.transfer_type == "A lease"


class TestEntry:
    def test_a_draft_or_unknown_reference_is_not_found(self, make):
        draft = make.ApplicationFactory(workflow="scotland-atr", state="draft")
        db.session.commit()
        for reference in (draft.reference, "ATR-1999-0001", "x" * 300):
            with pytest.raises(NotFound):
                register.register_entry(reference)

    def test_what_is_asked_the_dates_the_decision_and_the_public_documents(
            self, make, officer, decider):
        application = sent_request("scotland-atr", "representations")
        notice = open_for_representations(application, 5, actor=officer)
        public_notice = issue(application, "public_notice", "Public notice", notice)
        issue(application, "owner_notice", "Notice to owner", notice)
        db.session.commit()
        detail = register.register_entry(application.reference)
        asked = dict(detail.asked_for)
        assert asked["What are you asking for?"] == "A lease"
        assert asked["Your reasons for making the request"].startswith("To reopen the pavilion")
        assert "Contact email" not in asked and "Contact name for this request" not in asked
        assert ("Period for representations", uk_today() + timedelta(days=5)) in detail.dates
        assert detail.representations_close_on == uk_today() + timedelta(days=5)
        assert [d.id for d in detail.documents] == [public_notice.id]
        assert detail.decisions == []

    def test_a_decision_with_its_reasons_and_terms_but_not_the_valuation(self, decider):
        application = sent_request("council-cat", "recommended")
        decide(application, decider, "approve", "heads_of_terms", reasons="Meets priorities.",
               market_value="13579246", transfer_type="lease", term_years=25)
        db.session.commit()
        [decision] = register.register_entry(application.reference).decisions
        details = dict(decision.details)
        assert decision.outcome == "Heads of terms issued"
        assert decision.decided_on == uk_today()
        assert "Meets priorities." in details.values()
        assert (details["Type of transfer"], details["Term in years"]) == ("Lease", "25")
        assert "13579246" not in repr(decision) and not any("market value" in label.lower()
                                                            for label in details)

    def test_only_public_kinds_of_current_documents_download(self, officer):
        application = sent_request("scotland-atr", "representations")
        public_notice = issue(application, "public_notice", "Public notice")
        owner_notice = issue(application, "owner_notice", "Notice to owner")
        db.session.commit()
        served = register.public_document(application.reference, public_notice.id)
        assert (served.data, served.sha256) == (read_document(public_notice), public_notice.sha256)
        assert served.filename == f"{application.reference}-public-notice-v1.pdf"
        for reference, document_id in ((application.reference, owner_notice.id),
                                       ("ATR-1999-0001", public_notice.id),
                                       (application.reference, 2**40)):
            with pytest.raises(NotFound):
                register.public_document(reference, document_id)


    def test_a_decision_notice_is_published_as_its_copy_never_as_the_letter(self, decider):
        application = sent_request("scotland-atr", "recommended")
        event = decide(application, decider, "refuse", "refused", reasons="Unsafe.")
        copy = blank_pdf() + b"% published copy"
        old = issue(application, "decision_notice", "Decision notice", event, public_copy=copy)
        notice = issue(application, "decision_notice", "Decision notice", event, version=2,
                       public_copy=copy + b"2")
        letter = issue(application, "representations_letter", "Representations received",
                       event)
        db.session.commit()
        [listed] = register.register_entry(application.reference).documents
        assert (listed.id, listed.title, listed.copy) == (notice.id, "Decision notice", True)

        served = register.public_document(application.reference, notice.id)
        # The copy as stored: sealed by an incremental update after the rendered bytes.
        assert served.data.startswith(copy + b"2") and served.sha256 == notice.public_sha256
        assert hashlib.sha256(served.data).hexdigest() == notice.public_sha256
        assert served.data != read_document(notice)
        assert served.filename == f"{application.reference}-decision-notice-v2-published-copy.pdf"
        for superseded_or_private in (old, letter):  # the first version went with its copy
            with pytest.raises(NotFound):
                register.public_document(application.reference, superseded_or_private.id)

    def test_a_letter_of_a_published_kind_issued_without_a_copy_is_not_served(self, decider):
        application = sent_request("scotland-atr", "recommended")
        event = decide(application, decider, "refuse", "refused", reasons="Unsafe.")
        notice = issue(application, "decision_notice", "Decision notice", event)
        db.session.commit()
        assert register.register_entry(application.reference).documents == []
        with pytest.raises(NotFound):
            register.public_document(application.reference, notice.id)

    def test_every_kind_with_a_copy_is_one_the_workflow_issues_and_none_is_also_public(
            self, app):
        for key, kinds in PUBLIC_COPY_KINDS.items():
            assert set(kinds) <= set(workflows()[key].documents)
            assert not set(kinds) & set(PUBLIC_DOCUMENT_KINDS.get(key, ()))


class TestOnlineRepresentations:
    @pytest.fixture
    def open_request(self, officer):
        application = sent_request("scotland-atr", "representations")
        open_for_representations(application, 0, actor=officer)  # the last day is today
        db.session.commit()
        return application

    def make(self, application, **changes):
        data = {"from_name": "Rita Neighbour", "address": "2 Park Road\nExampletown",
                "email": "Rita@Example.org", "text": "Please keep the café open."} | changes
        return casework.make_representation(application, **data)

    def test_stored_audited_confirmed_and_the_officer_told(self, open_request, officer):
        representation = self.make(open_request)
        db.session.commit()
        stored = db.session.get(Representation, representation.id)
        assert stored.source is RepresentationSource.ONLINE and stored.recorded_by_id is None
        assert (stored.email, stored.received_on) == ("rita@example.org", uk_today())
        event = db.session.scalar(sa.select(Event).where(
            Event.application_id == open_request.id).order_by(Event.seq.desc()).limit(1))
        assert event.action == "record_representation" and event.payload["source"] == "online"
        messages = {m.to_address: m for m in db.session.scalars(sa.select(Message))}
        assert "Please keep the café open." in messages["rita@example.org"].body
        assert messages[officer.email].kind == "representation_received"
        assert "made online on the public register" in messages[officer.email].body

    @pytest.mark.parametrize("changes, fields", [
        ({"from_name": " ", "text": ""}, ["from_name", "text"]),
        ({"email": "not an address"}, ["email"]),
        ({"address": None}, ["address"]),
    ])
    def test_bad_input_saves_nothing(self, open_request, changes, fields):
        with pytest.raises(ValidationFailed) as refused:
            self.make(open_request, **changes)
        assert sorted(e.field for e in refused.value.errors) == sorted(fields)

    def test_refused_after_the_closing_date(self, officer):
        application = sent_request("scotland-atr", "representations")
        open_for_representations(application, -1, actor=officer)
        db.session.commit()
        assert casework.representations_close_on(application) is None
        with pytest.raises(ValidationFailed, match="closed"):
            self.make(application)

    def test_refused_at_a_stage_not_open_for_them(self, officer):
        application = sent_request("scotland-atr", "assessment")
        open_for_representations(application, 5, actor=officer)
        application.state = "assessment"
        db.session.commit()
        with pytest.raises(ValidationFailed):
            self.make(application)


class TestOpenData:
    def test_csv_and_json_carry_the_public_fields_and_the_licence(self, decider):
        application = sent_request("scotland-atr", "recommended")
        decide(application, decider, "refuse", "refused", reasons="No.")
        db.session.commit()
        rows = list(csv.DictReader(io.StringIO(register_data.as_csv())))
        assert rows[0]["reference"] == application.reference
        assert rows[0]["decision"] == "Refused" and rows[0]["finished"] == "false"
        document = register_data.as_json()
        assert document["licence"]["name"] == "Open Government Licence v3.0"
        [row] = document["requests"]
        assert row["submitted_on"] == uk_today().isoformat() and row["applicant"]
