"""Who hears of what: each action's messages go to the people the workflow's table names, in
the action's transaction, once, with links to the case at SERVICE_URL."""
from datetime import date
from pathlib import Path

from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Channel, Event, Message, MessageStatus
from assettransfer.services.actions import take_action
from assettransfer.services.transaction import doom, transaction


def sent(application) -> list[Message]:
    return list(db.session.scalars(select(Message).where(
        Message.application_id == application.id).order_by(Message.id)))


def by_action(application) -> list[tuple[str, str, str]]:
    """(action, kind, recipient's name) of every message about the case."""
    actions = dict(db.session.execute(select(Event.id, Event.action)).all())
    return [(actions[int(m.key.split(":")[1])], m.kind, m.to_name) for m in sent(application)]


GROUP = ("Ann Lead", "Bob Member")


def to_group(action, kind):
    return [(action, kind, name) for name in GROUP]


def test_the_council_cat_journey_tells_each_person_what_concerns_them_and_no_more(
        new_application, walk, people):
    app_ = new_application("council-cat")
    walk(app_, "completed")
    assert by_action(app_) == [
        *to_group("submit_eoi", "document_issued"),
        # No officer has acted on the case yet: every officer hears of the new request.
        ("submit_eoi", "submission_received", "Owen Officer"),
        ("submit_eoi", "submission_received", "Olga Officer"),
        *to_group("accept_eoi", "document_issued"),
        *to_group("submit_application", "document_issued"),
        ("submit_application", "submission_received", "Owen Officer"),  # the case officer now
        *to_group("start_assessment", "stage_changed"),
        # The recommendation's report is for the decision maker: the group hears of the stage.
        *to_group("recommend", "stage_changed"),
        *to_group("approve", "decision_made"),  # names the decision notice and heads of terms
        *to_group("agree_heads_of_terms", "document_issued"),
        ("agree_heads_of_terms", "submission_received", "Owen Officer"),
        *to_group("issue_legal_pack", "legal_pack_to_sign"),
        *to_group("complete", "document_issued"),
    ]
    assert not any(m.statutory for m in sent(app_))  # the council's own policy, not the law
    decision = next(m for m in sent(app_) if m.kind == "decision_made")
    assert "Decision notice, Heads of terms" in decision.body
    assert f"http://127.0.0.1:5000/applications/{app_.id}\n" in decision.body
    officer = next(m for m in sent(app_) if m.kind == "submission_received")
    assert f"http://127.0.0.1:5000/council/applications/{app_.id}\n" in officer.body


def test_a_request_for_information_says_what_and_by_when_and_the_reply_goes_to_its_officer(
        new_application, walk, act, people, app):
    app.config["SERVICE_URL"] = "https://assets.example.gov.uk/cat"
    app_ = new_application("council-cat")
    walk(app_, "application_submitted")
    act(people.officer2, app_, "request_information", on=date(2027, 3, 1),
        missing_items="Your latest accounts, signed.")
    act(people.member, app_, "provide_information", on=date(2027, 3, 8))
    [request] = [m for m in sent(app_)
                 if m.kind == "information_requested" and m.to_name == "Ann Lead"]
    [reply] = [m for m in sent(app_) if m.kind == "information_provided"]
    assert "Your latest accounts, signed." in request.body
    # 20 working days after 1 March 2027, Good Friday (26 March) excluded.
    assert "Group's reply with the information asked for: by 30 March 2027." in request.body
    assert f"https://assets.example.gov.uk/cat/applications/{app_.id}\n" in request.body
    # The officer who asked hears of the reply, not the whole team; the group is not told of
    # its own reply twice.
    assert (reply.kind, reply.to_name) == ("information_provided", "Olga Officer")
    assert [k for _, k, _ in by_action(app_)[-3:]] == ["stage_changed"] * 2 + [
        "information_provided"]


def test_letters_to_the_owner_and_occupier_go_by_post_with_the_letter_and_cannot_be_turned_off(
        app, new_application, walk):
    app_ = new_application("england-acv")
    walk(app_, "listed")
    letters = [m for m in sent(app_) if m.channel is Channel.LETTER]
    assert [(m.to_name, m.document_key) for m in letters] == [
        ("Brewery Holdings Ltd", f"document:{app_.id}:nomination_notice_owner:000001"),
        ("Red Lion Inns Ltd", f"document:{app_.id}:nomination_notice_occupier:000001"),
        ("Brewery Holdings Ltd", f"document:{app_.id}:listing_notice_owner:000001"),
        ("Red Lion Inns Ltd", f"document:{app_.id}:listing_notice_occupier:000001"),
    ]
    assert all(m.statutory and m.user_id is None for m in letters)
    # Each was posted once its letter was made (kept in MESSAGES_DIR with the PDF, here).
    assert all(m.status is MessageStatus.SENT for m in letters)
    assert (Path(app.config["MESSAGES_DIR"]) / f"{letters[0].provider_id}.pdf").is_file()
    assert letters[0].to_address == "1 King Street\nLeeds LS1 1AA"
    assert "encloses Notice of a nomination: to the owner" in letters[0].body
    # The nominator's own notices are statutory too, and link to the case rather than attach.
    group = [m for m in sent(app_) if m.kind == "document_issued" and m.user_id]
    assert group and all(m.statutory and m.document_key is None for m in group)


def test_a_rolled_back_action_sends_nothing(new_application, people):
    app_ = new_application("council-cat")
    with transaction():
        take_action(people.applicant, app_, "submit_eoi")
        assert db.session.scalar(select(db.func.count(Message.id))) == 4
        doom()
    assert db.session.scalar(select(db.func.count(Message.id))) == 0


def test_the_case_officer_hears_of_a_representation(new_application, walk, people):
    from assettransfer.services import casework
    app_ = new_application("scotland-atr")
    walk(app_, "representations")
    with transaction():
        casework.record_representation(people.officer, app_, "A neighbour", date(2026, 12, 1),
                                       "I support this.")
    [message] = [m for m in sent(app_) if m.kind == "representation_received"]
    assert message.to_name == "Owen Officer" and "A neighbour" in message.body
