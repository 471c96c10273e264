"""The asset register for council staff: ``/council/assets``.

Every council role may search it; officers and admins add, edit, withdraw and import assets.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...models import AssetStatus
from ...services import assets
from ...services.errors import ValidationFailed
from ...services.records import Page
from ..forms import apply_errors, saving
from ..forms.account import ConfirmForm
from ..forms.council_admin import AssetForm, AssetSearchForm, ImportForm

OFF_REGISTER = (AssetStatus.WITHDRAWN, AssetStatus.TRANSFERRED)
bp = Blueprint("assets", __name__, url_prefix="/assets")


def may_edit() -> bool:
    return current_user.role in assets.EDITORS


def _require_editor() -> None:
    if not may_edit():
        abort(403)


@bp.get("/")
def index():
    form = AssetSearchForm(request.args)
    size = current_app.config.get("PAGE_SIZE", 20)
    try:
        found = assets.search_assets(**form.data, page=request.args.get("page", 1), per_page=size)
    except ValidationFailed as exc:
        apply_errors(form, exc)
        found = Page([], 0, 1, size)
    # Withdrawn and transferred assets are off the register already.
    withdrawable = {a.id for a in found.items if a.status not in OFF_REGISTER}
    return render_template("council/assets/index.html", form=form, found=found,
                           may_edit=may_edit(), withdrawable=withdrawable)


@bp.route("/new", methods=["GET", "POST"])
def new():
    _require_editor()
    form = AssetForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            asset = assets.create_asset(current_user, form.service_data())
        if saved.ok:
            flash(f"{asset.name} has been added to the register.", "success")
            return redirect(url_for(".index", q=asset.name))
    return render_template("council/assets/form.html", form=form, asset=None)


@bp.route("/<int:asset_id>/edit", methods=["GET", "POST"])
def edit(asset_id: int):
    _require_editor()
    asset = assets.get_asset(asset_id)
    form = AssetForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            assets.update_asset(current_user, asset, form.service_data())
        if saved.ok:
            flash(f"{asset.name} has been updated.", "success")
            return redirect(url_for(".index", q=asset.name))
    elif not form.is_submitted():
        form.fill(asset)
    return render_template("council/assets/form.html", form=form, asset=asset)


@bp.route("/<int:asset_id>/withdraw", methods=["GET", "POST"])
def withdraw(asset_id: int):
    """A confirmation page, then the withdrawal; requests already made carry on."""
    _require_editor()
    asset = assets.get_asset(asset_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            assets.withdraw_asset(current_user, asset)
        if saved.ok:
            flash(f"{asset.name} has been withdrawn from the register.", "success")
            return redirect(url_for(".index"))
    return render_template("council/assets/withdraw.html", form=form, asset=asset,
                           live=assets.live_requests(asset))


@bp.route("/import", methods=["GET", "POST"])
def import_csv():
    """Add many assets from a CSV; any bad row means none are added, and each is reported."""
    _require_editor()
    form = ImportForm()
    row_errors = []
    if form.validate_on_submit():
        upload = form.file.data
        raw = upload.read() if upload else b""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors = ["The file must be a CSV saved as UTF-8 text"]
        else:
            if not raw:
                form.file.errors = ["Choose a CSV file"]
            else:
                with saving(form, _show_import_errors, rows=row_errors) as saved:
                    added = assets.import_csv(current_user, text)
                if saved.ok:
                    flash(f"{len(added)} asset{'s' if len(added) != 1 else ''} "
                          "added to the register.", "success")
                    return redirect(url_for(".index"))
    return render_template("council/assets/import.html", form=form,
                           row_errors=[_row_error(e) for e in row_errors])


def _show_import_errors(form, error: ValidationFailed, rows: list) -> None:
    """Errors in rows go in ``rows``, for the table of them; the rest go on the form."""
    rows.extend(e for e in error.errors if e.field.startswith("row "))
    others = [e for e in error.errors if not e.field.startswith("row ")]
    if others or not rows:
        apply_errors(form, ValidationFailed(error.message, others), fallback="file")
    if rows:
        form.file.errors = [*form.file.errors, error.message]


def _row_error(error) -> dict:
    """``row 3: postcode`` -> row 3, column postcode (the service's naming)."""
    row, _, column = error.field.removeprefix("row ").partition(": ")
    return {"row": row, "column": column, "message": error.message}
