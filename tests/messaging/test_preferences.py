"""Each person chooses which messages they receive; a statutory notice or a reminder of a
statutory deadline is sent whatever they chose. The case pages list the messages sent."""
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Message
from assettransfer.services.messages import queue_message
from assettransfer.services.transaction import transaction


def kinds_to(user) -> list[str]:
    return list(db.session.scalars(select(Message.kind).where(Message.user_id == user.id)
                                   .order_by(Message.id)))


def test_a_member_turns_off_stage_messages_on_the_account_page(
        client, login_as, people, new_application, walk):
    login_as(people.member)
    page = client.get("/account/messages").get_data(as_text=True)
    assert "Your request has moved to a new stage" in page
    assert "weekly summary" not in page  # the council's messages are not the group's to choose
    response = client.post("/account/messages", data={"kinds": ["document_issued"]})
    assert response.status_code == 302
    db.session.refresh(people.member)
    assert people.member.message_preferences["stage_changed"] is False
    assert people.member.message_preferences["document_issued"] is True

    app_ = new_application("council-cat")
    walk(app_, "assessment")
    # Bob hears of the letters but not of the stage the assessment started; Ann hears of both.
    assert kinds_to(people.member) == ["document_issued"] * 3
    assert kinds_to(people.applicant) == ["document_issued"] * 3 + ["stage_changed"]


def test_an_unknown_choice_is_refused_with_a_message(client, login_as, people):
    login_as(people.member)
    response = client.post("/account/messages", data={"kinds": ["weekly_digest"]})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "weekly_digest" in page and "is not a valid choice for this field" in page
    db.session.refresh(people.member)
    assert people.member.message_preferences == {}


def test_a_statutory_message_is_never_skipped(make, people):
    people.member.message_preferences = {"document_issued": False}
    db.session.commit()
    application = make.ApplicationFactory()

    def write(key, statutory):
        with transaction():
            return queue_message(
                "stage_changed", key=key, to_name="Bob", to_address="bob@example.org",
                user=people.member, application=application, statutory=statutory,
                context={"to_name": "Bob", "application": application,
                         "asset": application.asset, "stage": "Listed", "next_steps": "",
                         "url": "http://127.0.0.1:5000/applications/1"})

    people.member.message_preferences = {"stage_changed": False}
    db.session.commit()
    assert write("a", statutory=False) is None
    assert write("b", statutory=True) is not None
    assert kinds_to(people.member) == ["stage_changed"]


def test_the_acv_nominators_notices_reach_them_whatever_they_chose(
        client, login_as, people, new_application, walk):
    login_as(people.member)
    client.post("/account/messages", data={"kinds": []})
    app_ = new_application("england-acv")
    walk(app_, "listed")
    # The notices of the nomination and the listing are the law's (statutory_documents: all).
    assert kinds_to(people.member) == ["document_issued", "document_issued"]


def test_the_case_pages_list_the_messages_sent(client, login_as, people, new_application, walk):
    app_ = new_application("council-cat")
    walk(app_, "business_case")
    login_as(people.officer)
    page = client.get(f"/council/applications/{app_.id}").get_data(as_text=True)
    assert "Messages sent" in page
    assert page.count("Acknowledgement of your expression of interest") >= 2  # to Ann and Bob
    assert people.member.email in page  # the council sees where each message went
    assert "Olga Officer" in page  # the council team heard of the new request
    client.post("/account/sign-out")
    login_as(people.applicant)
    page = client.get(f"/applications/{app_.id}").get_data(as_text=True)
    assert "Messages to your group" in page and "Bob Member" in page
    assert "Olga Officer" not in page  # the council's own messages are not the group's
