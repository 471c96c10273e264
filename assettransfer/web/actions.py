"""Taking a workflow action from a submitted form: the one way every page does it."""

from flask_login import current_user
from flask_wtf import FlaskForm

from ..services.actions import take_action
from .forms import Saved, saving
from .forms.workflow import form_comment, form_data, form_version


def take_from_form(form: FlaskForm, application, action_name: str, fields) -> Saved:
    """Take the action with the form's data. ``ok`` when it was taken (the request's transaction
    commits it); otherwise the form carries the reasons and ``status`` is what to answer with
    (409 for a stale version, 200 for refused data or guards)."""
    with saving(form, prefix="data.") as saved:
        take_action(current_user, application, action_name, data=form_data(form, fields),
                    comment=form_comment(form), expected_version=form_version(form))
    return saved
