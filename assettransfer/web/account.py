"""Signing up, in (with a second factor for staff who use one) and out; confirming the e-mail
address and resetting a forgotten password by links sent to it; the account overview, password,
API tokens and two-factor set-up: ``/account``."""

import io

import segno
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user

from .. import throttle
from ..services import account_links, accounts, password_reset, two_factor
from ..services.account_links import EmailNotConfirmed, LinkNotValid
from . import sessions
from .access import home_for, safe_next
from .forms import saving
from .forms.account import (
    ChangePasswordForm,
    ConfirmForm,
    NewPasswordForm,
    NewTokenForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
    TwoFactorCodeForm,
    TwoFactorOffForm,
    TwoFactorSetUpForm,
)

bp = Blueprint("account", __name__, url_prefix="/account")


# The same words whether the address was new or already had an account: see accounts.sign_up.
SIGN_UP_DONE = (
    "Now sign in with your email address and the password you chose, and confirm your email "
    "address with the link we have sent to it. If you already had an account with that email "
    "address, it has not been changed: sign in with its password."
)


@bp.route("/sign-up", methods=["GET", "POST"])
@throttle.sign_up
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for(".overview"))
    form = SignUpForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            accounts.sign_up(form.email.data, form.name.data, form.password.data)
        if saved.ok:
            flash(SIGN_UP_DONE, "info")
            return redirect(url_for(".sign_in"))
    return render_template("account/sign_up.html", form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
@throttle.sign_in
def sign_in():
    form = SignInForm(next=request.args.get("next", ""))
    target = safe_next(form.next.data)
    if current_user.is_authenticated:
        return redirect(target or home_for(current_user))
    if form.validate_on_submit():
        with saving(form, fallback="email") as saved:
            user = accounts.authenticate(form.email.data, form.password.data)
        if saved.ok and user.has_two_factor:
            sessions.await_second_factor(user, target)
            return redirect(url_for(".sign_in_code"))
        if saved.ok:
            sessions.start(user)
            return redirect(target or home_for(user))
    # Keep only a safe target in the form, so a crafted link cannot ride along.
    form.next.data = target or ""
    return render_template("account/sign_in.html", form=form)


def _status(form) -> int:
    """A form of codes shown again with errors answers 422: the throttle counts those."""
    return 422 if form.errors else 200


@bp.route("/sign-in/code", methods=["GET", "POST"])
@throttle.second_factor(sessions.pending_account)
def sign_in_code():
    """The second step of signing in, for a user who has given their password."""
    part_way = sessions.pending()
    if part_way is None:
        flash("Sign in again: it was too long since you gave your password.", "info")
        return redirect(url_for(".sign_in"))
    user, target = part_way
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            two_factor.verify(user, form.code.data)
        if saved.ok:
            sessions.start(user)
            return redirect(target or home_for(user))
    return render_template("account/sign_in_code.html", form=form), _status(form)


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        accounts.sign_out(current_user)
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for(".sign_in"))


@bp.get("/")
@login_required
def overview():
    return render_template("account/overview.html")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            accounts.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        if saved.ok:
            # Every session of this user has ended, this one too: begin it again.
            sessions.start(current_user._get_current_object())
            flash("Your password has been changed. You have been signed out everywhere else.",
                  "success")
            return redirect(url_for(".overview"))
    return render_template("account/password.html", form=form)


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = NewTokenForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            token, plaintext = accounts.issue_token(current_user, form.name.data)
        if saved.ok:
            # Shown in this response only: never redirected with it, never stored, never cached.
            response = render_template(
                "account/token_created.html", token=token, plaintext=plaintext
            )
            return response, 200, {"Cache-Control": "no-store"}
    own = sorted(current_user.api_tokens, key=lambda t: t.created_at, reverse=True)
    return render_template("account/tokens.html", form=form, tokens=own, revoke_form=ConfirmForm())


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    # Someone else's token is NotFound: the layout's handler shows a 404.
    token = accounts.revoke_token(current_user, token_id)
    flash(
        f"The token ‘{token.name}’ has been revoked. Anything using it will stop working.",
        "success",
    )
    return redirect(url_for(".tokens"))


NO_STORE = {"Cache-Control": "no-store"}


def _own_account() -> str:
    return str(current_user.id)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
@throttle.second_factor(_own_account)
def two_factor_setup():
    """Set up two-factor sign-in (show the secret, confirm a code), or say it is on."""
    if current_user.has_two_factor:
        return render_template("account/two_factor_on.html", form=TwoFactorOffForm(),
                               codes_left=two_factor.recovery_codes_left(current_user))
    secret = two_factor.begin_setup(current_user)
    form = TwoFactorSetUpForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            codes = two_factor.enable(current_user, form.code.data)
        if saved.ok:
            # Every session of this user has ended, this one too: begin it again.
            sessions.start(current_user._get_current_object())
            # Shown in this response only: never stored in the clear, never cached.
            return render_template("account/recovery_codes.html", codes=codes), 200, NO_STORE
    return render_template("account/two_factor_setup.html", form=form, secret=secret), \
        _status(form), NO_STORE


@bp.get("/two-factor/qr.svg")
@login_required
def two_factor_qr():
    """The set-up secret as a QR code, for the set-up page's image (so no inline data)."""
    svg = io.BytesIO()
    segno.make(two_factor.provisioning_uri(current_user), error="m").save(
        svg, kind="svg", scale=5, title="QR code for your authenticator app")
    return svg.getvalue(), 200, {"Content-Type": "image/svg+xml", **NO_STORE}


@bp.post("/two-factor/off")
@login_required
@throttle.second_factor(_own_account)
def two_factor_off():
    if not current_user.has_two_factor:
        return redirect(url_for(".overview"))
    form = TwoFactorOffForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            two_factor.disable(current_user, form.password.data, form.code.data)
        if saved.ok:
            sessions.start(current_user._get_current_object())
            flash("Two-factor sign-in is off. You have been signed out everywhere else.",
                  "success")
            return redirect(url_for(".overview"))
    return render_template("account/two_factor_on.html", form=form,
                           codes_left=two_factor.recovery_codes_left(current_user)), _status(form)


def _confirm_page(**context) -> str:
    return render_template("account/confirm_email.html", form=ConfirmForm(), valid_for=(
        account_links.duration(current_app.config["CONFIRM_EMAIL_TIMEOUT"])), **context)


@bp.get("/confirm-email")
@login_required
def confirm_email_needed():
    """What an account whose address is not confirmed can do about it."""
    return _confirm_page()


@bp.app_errorhandler(EmailNotConfirmed)
def _email_not_confirmed(error: EmailNotConfirmed):
    # Said on a page of its own, with the way out, rather than as a bare refusal.
    return _confirm_page(refused=error), 403


@bp.post("/confirm-email/send")
@login_required
@throttle.confirmation_link(_own_account)
def send_confirmation():
    account_links.send_confirmation(current_user)
    flash(f"We have sent a new link to {current_user.email}. It may take a few minutes to arrive.",
          "success")
    return redirect(url_for(".confirm_email_needed"))


@bp.get("/confirm-email/<token>")
def confirm_email(token: str):
    try:
        user = account_links.confirm_email(token)
    except LinkNotValid:
        return render_template("account/link_not_valid.html", purpose="confirm"), 400
    flash(f"Thank you: {user.email} is confirmed. You can now start and work on applications.",
          "success")
    signed_in_as_them = current_user.is_authenticated and current_user.id == user.id
    return redirect(url_for(".overview" if signed_in_as_them else ".sign_in"))


@bp.route("/reset-password", methods=["GET", "POST"])
@throttle.password_reset
def reset_password_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            password_reset.request_link(form.email.data)
        if saved.ok:
            return redirect(url_for(".reset_password_sent"))
    return render_template("account/reset_request.html", form=form)


@bp.get("/reset-password/sent")
def reset_password_sent():
    # The same page whether or not the address has an account.
    return render_template("account/reset_sent.html", valid_for=account_links.duration(
        current_app.config["PASSWORD_RESET_TIMEOUT"]))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        password_reset.user_for(token)
    except LinkNotValid:
        return render_template("account/link_not_valid.html", purpose="reset"), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            password_reset.reset_password(token, form.new_password.data)
        if saved.ok:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash("Your password has been changed and you have been signed out everywhere. "
                  "Sign in with your new password.", "success")
            return redirect(url_for(".sign_in"))
    # The token is in the page's address: never cached.
    return render_template("account/reset_password.html", form=form), NO_STORE
