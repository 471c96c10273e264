"""/account/messages: which messages a person receives (statutory ones always are)."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput

from ..services import notices
from ..services.messages import wants
from .account import bp
from .forms import saving


class MessagesForm(FlaskForm):
    kinds = SelectMultipleField("Send me an e-mail when", widget=GovCheckboxesInput(),
                                option_widget=CheckboxInput(), choices=[], validate_choice=True)


@bp.route("/messages", methods=["GET", "POST"])
@login_required
def messages():
    choices = notices.message_choices(current_user)
    form = MessagesForm()
    form.kinds.choices = list(choices.items())
    if not form.is_submitted():
        form.kinds.data = [kind for kind in choices if wants(current_user, kind)]
    if form.validate_on_submit():
        with saving(form) as saved:
            notices.choose_messages(current_user, form.kinds.data or [])
        if saved.ok:
            flash("Your choice of messages has been saved.", "success")
            return redirect(url_for(".messages"))
    # Shown again with its errors: 400, so the request's transaction is rolled back.
    return render_template("account/messages.html", form=form), 400 if form.errors else 200
