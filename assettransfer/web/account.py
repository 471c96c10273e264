"""Signing up, in and out; the account overview, password and API tokens: ``/account``."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from .. import throttle
from ..services import accounts
from . import sessions
from .access import home_for, safe_next
from .forms import saving
from .forms.account import ChangePasswordForm, ConfirmForm, NewTokenForm, SignInForm, SignUpForm

bp = Blueprint("account", __name__, url_prefix="/account")


# The same words whether the address was new or already had an account: see accounts.sign_up.
SIGN_UP_DONE = (
    "Now sign in with your email address and the password you chose. If you already had an "
    "account with that email address, it has not been changed: sign in with its password."
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
        if saved.ok:
            sessions.start(user)
            return redirect(target or home_for(user))
    # Keep only a safe target in the form, so a crafted link cannot ride along.
    form.next.data = target or ""
    return render_template("account/sign_in.html", form=form)


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
