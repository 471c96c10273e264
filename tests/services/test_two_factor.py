"""The two-factor service: set-up, codes (fresh, replayed, expired), recovery codes, the rule."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from assettransfer.extensions import db
from assettransfer.models import RecoveryCode
from assettransfer.services import two_factor
from assettransfer.services.errors import NotAllowed, ValidationFailed
from tests.factories import PASSWORD

CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
NOON = datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC)
STEP = timedelta(seconds=30)


@pytest.fixture
def config_overrides():
    return {"ARGON2_PARAMS": CHEAP_ARGON2}


@pytest.fixture
def officer(make):
    return make.UserFactory(officer=True)


def code_at(user, when: datetime) -> str:
    return pyotp.TOTP(user.totp_secret).at(when)


def turn_on(user) -> list[str]:
    """Two-factor sign-in on for ``user`` at noon; their recovery codes."""
    two_factor.begin_setup(user)
    return two_factor.enable(user, code_at(user, NOON), at=NOON)


@pytest.fixture
def enabled(officer):
    return officer, turn_on(officer)


class TestSetUp:
    def test_the_secret_is_kept_until_confirmed_and_then_never_shown_again(self, officer):
        secret = two_factor.begin_setup(officer)
        assert two_factor.begin_setup(officer) == secret and not officer.has_two_factor
        assert two_factor.provisioning_uri(officer).startswith("otpauth://totp/")
        two_factor.enable(officer, code_at(officer, NOON), at=NOON)
        assert officer.has_two_factor
        with pytest.raises(NotAllowed):
            two_factor.begin_setup(officer)

    def test_a_wrong_code_does_not_turn_it_on(self, officer):
        two_factor.begin_setup(officer)
        with pytest.raises(ValidationFailed):
            two_factor.enable(officer, code_at(officer, NOON + 3 * STEP), at=NOON)
        assert not officer.has_two_factor

    def test_turning_it_on_gives_ten_codes_stored_hashed_and_ends_sessions(self, enabled):
        officer, codes = enabled
        assert len(set(codes)) == two_factor.RECOVERY_CODE_COUNT == 10
        stored = {c.code_hash for c in db.session.scalars(db.select(RecoveryCode))}
        assert len(stored) == 10 and not stored & set(codes)
        assert officer.session_epoch == 1

    def test_applicants_cannot_set_it_up(self, make):
        with pytest.raises(NotAllowed):
            two_factor.begin_setup(make.UserFactory())


class TestCodes:
    @pytest.mark.parametrize("offset", [-1, 1])
    def test_a_code_of_the_step_either_side_is_accepted(self, enabled, offset):
        officer, _ = enabled
        later = NOON + 10 * STEP
        two_factor.verify(officer, code_at(officer, later + offset * STEP), at=later)

    def test_an_expired_code_is_refused(self, enabled):
        officer, _ = enabled
        later = NOON + 10 * STEP
        with pytest.raises(ValidationFailed):
            two_factor.verify(officer, code_at(officer, later - 2 * STEP), at=later)

    def test_a_code_used_once_is_refused_in_its_step(self, enabled, security_log):
        officer, _ = enabled
        later = NOON + 10 * STEP
        code = code_at(officer, later)
        two_factor.verify(officer, code, at=later)
        with pytest.raises(ValidationFailed):
            two_factor.verify(officer, code, at=later + timedelta(seconds=5))
        assert security_log.events("two_factor_code_replayed")

    def test_the_confirming_code_cannot_sign_in(self, enabled):
        officer, _ = enabled
        with pytest.raises(ValidationFailed):
            two_factor.verify(officer, code_at(officer, NOON), at=NOON)

    def test_a_recovery_code_works_once_in_any_case_and_spacing(self, enabled):
        officer, codes = enabled
        two_factor.verify(officer, f" {codes[0].lower().replace('-', ' ')} ", at=NOON)
        assert two_factor.recovery_codes_left(officer) == 9
        with pytest.raises(ValidationFailed):
            two_factor.verify(officer, codes[0], at=NOON)

    def test_someone_elses_recovery_code_is_refused(self, enabled, make):
        _, codes = enabled
        other = make.UserFactory(legal=True)
        turn_on(other)
        with pytest.raises(ValidationFailed):
            two_factor.verify(other, codes[0], at=NOON)


class TestTurningOff:
    def test_needs_the_password_and_a_code(self, enabled):
        officer, codes = enabled
        with pytest.raises(ValidationFailed):
            two_factor.disable(officer, "wrong password", codes[0])
        with pytest.raises(ValidationFailed):
            two_factor.disable(officer, PASSWORD, "000000")
        assert officer.has_two_factor
        two_factor.disable(officer, PASSWORD, codes[0])
        assert not officer.has_two_factor and officer.totp_secret is None
        assert two_factor.recovery_codes_left(officer) == 0
        assert officer.session_epoch == 2

    def test_not_while_required_of_staff(self, enabled, make):
        officer, codes = enabled
        two_factor.set_required_for_staff(make.UserFactory(admin=True), True)
        with pytest.raises(ValidationFailed):
            two_factor.disable(officer, PASSWORD, codes[0])


class TestRequiredForStaff:
    def test_only_an_admin_can_require_it_and_then_staff_without_it_must_set_it_up(self, make):
        officer, applicant = make.UserFactory(officer=True), make.UserFactory()
        with pytest.raises(NotAllowed):
            two_factor.set_required_for_staff(officer, True)
        assert not two_factor.must_set_up(officer)
        two_factor.set_required_for_staff(make.UserFactory(admin=True), True)
        assert two_factor.must_set_up(officer) and not two_factor.must_set_up(applicant)
