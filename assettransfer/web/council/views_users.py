"""Users and roles, for admins only: ``/council/users``."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...models import Role
from ...services import staff, two_factor
from ...services.errors import ValidationFailed
from ...services.records import Page
from ..forms import apply_errors, saving
from ..forms.account import ConfirmForm
from ..forms.council_admin import NewUserForm, RoleForm, TwoFactorRuleForm, UserSearchForm

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.before_request
def require_admin():
    # The council blueprint has already sent anonymous visitors to sign in.
    if current_user.role is not Role.ADMIN:
        abort(403)


@bp.get("/")
def index():
    form = UserSearchForm(request.args)
    size = current_app.config.get("PAGE_SIZE", 20)
    try:
        users = staff.list_users(current_user, **form.data, page=request.args.get("page", 1),
                                 per_page=size)
    except ValidationFailed as exc:
        apply_errors(form, exc)
        users = Page([], 0, 1, size)
    return render_template("council/users/index.html", form=form, users=users,
                           button_form=ConfirmForm(),
                           two_factor_required=two_factor.required_for_staff())


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewUserForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            user = staff.create_user(current_user, form.email.data, form.name.data,
                                     form.role.data, form.password.data)
        if saved.ok:
            flash(f"An account for {user.name} ({user.role.label.lower()}) has been created.",
                  "success")
            return redirect(url_for(".index"))
    return render_template("council/users/new.html", form=form)


@bp.route("/<int:user_id>/role", methods=["GET", "POST"])
def role(user_id: int):
    user = staff.get_user(current_user, user_id)
    form = RoleForm(data={"role": user.role.value})
    if form.validate_on_submit():
        with saving(form) as saved:
            staff.change_role(current_user, user, form.role.data)
        if saved.ok:
            flash(f"{user.name} is now {user.role.label.lower()}.", "success")
            return redirect(url_for(".index"))
    return render_template("council/users/role.html", form=form, user=user)


@bp.get("/<int:user_id>/history")
def history(user_id: int):
    user = staff.get_user(current_user, user_id)
    return render_template("council/users/history.html", user=user,
                           events=staff.account_history(current_user, user))


@bp.post("/<int:user_id>/deactivate")
def deactivate(user_id: int):
    return _set_active(user_id, staff.deactivate, "can no longer sign in")


@bp.post("/<int:user_id>/reactivate")
def reactivate(user_id: int):
    return _set_active(user_id, staff.reactivate, "can sign in again")


def _set_active(user_id: int, change, outcome: str):
    user = staff.get_user(current_user, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with saving(form, _flash_refusal) as saved:
            change(current_user, user)
        if saved.ok:
            flash(f"{user.name} {outcome}.", "success")
    return redirect(url_for(".index"))


def _flash_refusal(form, error: ValidationFailed) -> None:
    """The buttons sit in a list of users, so the reason goes in a message above it."""
    flash(error.errors[0].message if error.errors else error.message, "error")



@bp.post("/two-factor")
def two_factor_rule():
    form = TwoFactorRuleForm()
    if form.validate_on_submit():
        required = form.required.data == "yes"
        two_factor.set_required_for_staff(current_user, required)
        flash("Every council account must now use two-factor sign-in." if required
              else "Two-factor sign-in is no longer required of staff.", "success")
    return redirect(url_for(".index"))
