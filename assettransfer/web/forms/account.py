"""Forms for the account pages. They check presence only; the accounts service checks the rest."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import InputRequired

from . import GovEmailInput

PASSWORD_HINT = (
    "Use 12 characters or more: a few unrelated words make a strong password. Do not use your "
    "name, your email address or a common password."
)


class SignUpForm(FlaskForm):
    name = StringField(
        "Full name", widget=GovTextInput(), validators=[InputRequired("Enter your full name")]
    )
    email = StringField(
        "Email address",
        description="We will use this to send you updates about your requests",
        widget=GovEmailInput(),
        validators=[InputRequired("Enter your email address")],
    )
    password = PasswordField(
        "Create a password",
        description=PASSWORD_HINT,
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a password")],
    )


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovEmailInput(),
        validators=[InputRequired("Enter your email address")],
    )
    password = PasswordField(
        "Password", widget=GovPasswordInput(), validators=[InputRequired("Enter your password")]
    )
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password")],
    )
    new_password = PasswordField(
        "New password",
        description=PASSWORD_HINT,
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a new password")],
    )


class NewTokenForm(FlaskForm):
    name = StringField(
        "Token name",
        description="Say what will use it, for example ‘Finance system import’",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a name for the token")],
    )


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change something."""


class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        "Code",
        description="The 6-digit code your authenticator app shows, or one of your recovery codes",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a code")],
    )


class TwoFactorSetUpForm(FlaskForm):
    code = StringField(
        "Code from your app",
        description="The 6-digit code your authenticator app shows now",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the code your app shows")],
    )


class TwoFactorOffForm(FlaskForm):
    password = PasswordField(
        "Password", widget=GovPasswordInput(), validators=[InputRequired("Enter your password")]
    )
    code = TwoFactorCodeForm.code


class ResetRequestForm(FlaskForm):
    email = StringField(
        "Email address",
        description="The email address you signed up or were given your account with",
        widget=GovEmailInput(),
        validators=[InputRequired("Enter your email address")],
    )


class NewPasswordForm(FlaskForm):
    new_password = ChangePasswordForm.new_password
