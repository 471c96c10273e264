"""Users and roles for admins: the pages, and the staff service behind them."""

import pytest

from assettransfer.extensions import db
from assettransfer.models import Membership, Role, User
from assettransfer.services import accounts, staff
from assettransfer.services.errors import NotAllowed, ValidationFailed
from tests.factories import PASSWORD
from tests.web.test_account import error_summary
from tests.web.test_council_case import text


@pytest.fixture
def admin(make):
    user = make.UserFactory(admin=True, name="Ada Admin")
    db.session.commit()
    return user


@pytest.fixture
def officer(make):
    user = make.UserFactory(officer=True, name="Owen Officer")
    db.session.commit()
    return user


def user_by_email(email) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email))


class TestPages:
    def test_list_and_search(self, client, login_as, admin, officer, make):
        make.UserFactory(name="Gail Group")
        db.session.commit()
        login_as(admin)
        page = text(client.get("/council/users/"))
        assert "3 users" in page and "Owen Officer" in page and "Gail Group" in page
        assert "API tokens" in page
        page = text(client.get("/council/users/?role=officer"))
        assert "1 user " in page and "Gail Group" not in page
        page = text(client.get(f"/council/users/?q={officer.email.upper()}"))
        assert "Owen Officer" in page and "Ada Admin" not in page

    def test_create_a_user_of_any_role(self, client, login_as, admin):
        login_as(admin)
        response = client.post("/council/users/new", data={
            "name": "Lee Gal", "email": "Lee@Council.example", "role": "legal",
            "password": "a long temporary one"})
        assert response.status_code == 302
        created = user_by_email("lee@council.example")
        assert created.role is Role.LEGAL and created.active
        assert "An account for Lee Gal (legal) has been created." in text(
            client.get(response.location))

    def test_create_with_bad_input(self, client, login_as, admin, officer):
        login_as(admin)
        response = client.post("/council/users/new", data={
            "name": "X", "email": officer.email, "role": "wizard", "password": "short"})
        assert response.status_code == 200
        assert error_summary(response) == [
            "An account with this email address already exists",
            "Role must be one of applicant, officer, decision_maker, legal, admin",
            "Password must be 12 characters or more"]
        empty = client.post("/council/users/new", data={})
        assert error_summary(empty) == [
            "Enter their full name", "Enter their email address", "Choose a role",
            "Enter a temporary password"]

    def test_change_role(self, client, login_as, admin, officer):
        login_as(admin)
        form = client.get(f"/council/users/{officer.id}/role").get_data(as_text=True)
        assert 'value="officer" checked' in form
        response = client.post(f"/council/users/{officer.id}/role", data={"role": "decision_maker"})
        assert response.status_code == 302 and officer.role is Role.DECISION_MAKER

    def test_an_admin_cannot_demote_themselves(self, client, login_as, admin):
        login_as(admin)
        response = client.post(f"/council/users/{admin.id}/role", data={"role": "officer"})
        assert error_summary(response) == [
            "You cannot remove your own admin role: ask another admin"]
        assert admin.role is Role.ADMIN

    def test_deactivate_and_reactivate(self, client, login_as, admin, officer):
        login_as(admin)
        assert client.post(f"/council/users/{officer.id}/deactivate").status_code == 302
        assert not officer.active
        assert "Owen Officer can no longer sign in." in text(client.get("/council/users/"))
        with pytest.raises(ValidationFailed):
            accounts.authenticate(officer.email, PASSWORD)
        client.post(f"/council/users/{officer.id}/reactivate")
        assert officer.active

    def test_an_admin_cannot_deactivate_themselves(self, client, login_as, admin):
        login_as(admin)
        client.post(f"/council/users/{admin.id}/deactivate")
        assert admin.active
        assert "You cannot deactivate your own account: ask another admin" in text(
            client.get("/council/users/"))

    @pytest.mark.parametrize("role", ["officer", "decision_maker", "legal"])
    def test_only_admins(self, client, login_as, make, officer, role):
        user = make.UserFactory(role=Role(role))
        db.session.commit()
        login_as(user)
        assert client.get("/council/users/").status_code == 403
        assert client.post(f"/council/users/{officer.id}/deactivate").status_code == 403
        assert client.post("/council/users/new", data={
            "name": "X", "email": "x@example.org", "role": "admin",
            "password": "a long temporary one"}).status_code == 403
        assert officer.active and user_by_email("x@example.org") is None

    def test_unknown_user(self, client, login_as, admin):
        login_as(admin)
        assert client.get("/council/users/9999/role").status_code == 404
        assert client.post("/council/users/9999/deactivate").status_code == 404


class TestStaffService:
    def test_only_admins_may_manage(self, officer):
        with pytest.raises(NotAllowed):
            staff.list_users(officer)
        with pytest.raises(NotAllowed):
            staff.change_role(officer, officer, "admin")
        with pytest.raises(NotAllowed):
            staff.create_user(officer, "a@example.org", "A", "admin", "a long password")

    def test_a_group_member_cannot_become_staff(self, admin, make):
        member = make.UserFactory()
        make.OrganisationFactory(lead=member)
        with pytest.raises(ValidationFailed) as refused:
            staff.change_role(admin, member, "officer")
        assert refused.value.errors[0].field == "role"
        assert member.role is Role.APPLICANT
        assert db.session.scalar(db.select(Membership.user_id)) == member.id

    def test_an_admin_may_stay_admin_and_others_may_be_demoted(self, admin, make):
        other = make.UserFactory(admin=True)
        staff.change_role(admin, admin, "admin")
        staff.change_role(admin, other, "applicant")
        assert admin.role is Role.ADMIN and other.role is Role.APPLICANT

    def test_flushes_and_never_commits(self, admin, officer):
        staff.deactivate(admin, officer)
        db.session.rollback()
        assert officer.active

    def test_paging_and_bad_role_filter(self, admin, make):
        for n in range(5):
            make.UserFactory(name=f"Person {n}")
        page = staff.list_users(admin, page=2, per_page=2)
        assert page.total == 6 and [u.name for u in page.items] == ["Person 1", "Person 2"]
        with pytest.raises(ValidationFailed):
            staff.list_users(admin, role="wizard")
