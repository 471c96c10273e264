"""``flask --app assettransfer users ...``: make accounts and API tokens from the command line."""

import click
from flask.cli import AppGroup

from .models import Role
from .services import accounts
from .services.errors import DomainError
from .services.transaction import transaction
from .wording import uk_datetime

users = AppGroup("users", help="Create users and API tokens.")


def _fail(error: DomainError) -> None:
    details = "; ".join(e.message for e in error.errors) or error.message
    raise click.ClickException(details)  # printed as "Error: ..." with exit status 1


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option(
    "--role",
    required=True,
    help=f"One of: {', '.join(r.value for r in Role)}.",
)
@click.option(
    "--password",
    help="The password (asked for, twice and hidden, when left out).",
)
def create(email: str, name: str, role: str, password: str | None) -> None:
    """Create a user with any role, e.g. the first admin or council officers."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with transaction():
            user = accounts.create_user(email, name, role, password)
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Created {user.role.label.lower()} {user.email} (id {user.id}).")


@users.command("token")
@click.argument("email")
@click.option("--name", default="Command line", show_default=True, help="What the token is for.")
def token(email: str, name: str) -> None:
    """Issue an API token for a user. The token is the last line printed, shown only once."""
    try:
        with transaction():
            user = accounts.get_by_email(email)
            api_token, plaintext = accounts.issue_token(user, name)
    except DomainError as exc:
        _fail(exc)
    click.echo(
        f"Token ‘{api_token.name}’ for {user.email}, expiring on "
        f"{uk_datetime(api_token.expires_at)}; it is not stored and will not be shown again:"
    )
    click.echo(plaintext)
