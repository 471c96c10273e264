"""``flask users create`` and ``flask users token``."""

import pytest
import sqlalchemy as sa

from assettransfer.cli_users import users
from assettransfer.extensions import db
from assettransfer.models import Role, User
from assettransfer.services import accounts
from assettransfer.wording import uk_datetime

CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
PASSWORD = "a long enough passphrase"


@pytest.fixture
def config_overrides():
    return {"ARGON2_PARAMS": CHEAP_ARGON2}


@pytest.fixture
def cli(app, runner):
    if "users" not in app.cli.commands:  # until cli.py registers the group itself
        app.cli.add_command(users)

    def invoke(*args, input=None):
        return runner.invoke(args=["users", *args], input=input)

    return invoke


def user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


class TestCreate:
    def test_creates_a_council_user(self, cli):
        result = cli(
            "create",
            "Ann.Officer@Example.gov.uk",
            "--name",
            "Ann Officer",
            "--role",
            "officer",
            "--password",
            PASSWORD,
        )
        assert result.exit_code == 0, result.output
        assert "ann.officer@example.gov.uk" in result.output
        db.session.expire_all()
        user = db.session.scalar(sa.select(User))
        assert (user.email, user.role) == ("ann.officer@example.gov.uk", Role.OFFICER)
        assert accounts.authenticate("ann.officer@example.gov.uk", PASSWORD) == user

    def test_commits(self, cli):
        cli("create", "a@example.org", "--name", "A", "--role", "admin", "--password", PASSWORD)
        db.session.rollback()  # would undo anything left uncommitted
        assert user_count() == 1

    def test_prompts_twice_for_a_hidden_password(self, cli):
        result = cli(
            "create",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "legal",
            input=f"{PASSWORD}\n{PASSWORD}\n",
        )
        assert result.exit_code == 0, result.output
        assert "Repeat for confirmation" in result.output
        assert PASSWORD not in result.output
        assert accounts.authenticate("a@example.org", PASSWORD).role is Role.LEGAL

    def test_prompt_that_does_not_match_creates_nobody(self, cli):
        result = cli(
            "create",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "legal",
            input=f"{PASSWORD}\nsomething else entirely\n",
        )
        assert result.exit_code == 1
        assert user_count() == 0

    @pytest.mark.parametrize(
        "args, message",
        [
            (["--role", "overlord", "--password", PASSWORD], "Role must be one of"),
            (
                ["--role", "officer", "--password", "short"],
                "Password must be 12 characters or more",
            ),
            (["--role", "officer", "--password", "password1234"], "Password is too easy to guess"),
            (
                ["--role", "officer", "--password", "aaaaaaaaaaaa"],
                "Password must use at least 5 different characters",
            ),
        ],
    )
    def test_bad_input_exits_1_with_the_reason(self, cli, args, message):
        result = cli("create", "a@example.org", "--name", "A", *args)
        assert result.exit_code == 1
        assert f"Error: {message}" in result.stderr
        assert user_count() == 0

    def test_duplicate_email_exits_1(self, cli, make):
        make.UserFactory(email="a@example.org")
        db.session.commit()
        result = cli(
            "create", "A@example.org", "--name", "A", "--role", "officer", "--password", PASSWORD
        )
        assert result.exit_code == 1
        assert "already exists" in result.stderr
        assert user_count() == 1


class TestToken:
    def test_prints_a_working_token_last(self, cli, make):
        user = make.UserFactory(email="a@example.org")
        db.session.commit()
        result = cli("token", "A@example.org", "--name", "Nightly export")
        assert result.exit_code == 0, result.output
        plaintext = result.stdout.strip().splitlines()[-1]
        db.session.expire_all()
        assert accounts.user_for_token(plaintext) == user
        assert user.api_tokens[0].name == "Nightly export"
        assert f"expiring on {uk_datetime(user.api_tokens[0].expires_at)}" in result.stdout

    def test_unknown_email_exits_1(self, cli):
        result = cli("token", "nobody@example.org")
        assert result.exit_code == 1
        assert "nobody@example.org" in result.stderr
