"""Pages anyone can see: the start page, the asset register and the accessibility statement."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..services import assets as asset_register
from ..services.errors import ValidationFailed
from ..services.organisations import organisations_of
from ..services.public import public_application, public_asset
from ..workflow import workflows
from .forms import apply_errors
from .forms.applicant import StartForm
from .forms.public import AssetSearchForm

bp = Blueprint("public", __name__)

@bp.get("/")
def start():
    return render_template("public/start.html", offered=current_app.config["WORKFLOWS"])


@bp.get("/accessibility")
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/assets")
def assets():
    form = AssetSearchForm(formdata=request.args)
    filters = form.filters()
    try:
        pager = asset_register.search_assets(
            **filters, page=request.args.get("page", 1), per_page=current_app.config["PAGE_SIZE"]
        )
    except ValidationFailed as exc:
        apply_errors(form, exc)
        pager = None
    searched = {k: v for k, v in filters.items() if v}
    return render_template("public/assets.html", form=form, pager=pager, searched=searched)


def start_form_for(user, asset) -> StartForm | None:
    """The "start an application" form for a signed-in community group member, else None."""
    if not user.is_authenticated or user.is_council:
        return None
    form = StartForm(formdata=None)
    organisations = organisations_of(user)
    form.organisation.choices = [SelectChoice(str(o.id), o.name) for o in organisations]
    form.workflow.choices = [SelectChoice(w.key, w.title) for w in workflows().offered_workflows()]
    if len(organisations) == 1:
        form.organisation.data = str(organisations[0].id)
    return form


@bp.get("/assets/<int:asset_id>")
def asset(asset_id: int):
    found = asset_register.get_asset(asset_id)
    live = asset_register.live_requests(found)
    registry = workflows()
    return render_template(
        "public/asset.html",
        asset=public_asset(found),
        live=[(public_application(a), registry[a.workflow].title) for a in live],
        open_to_requests=asset_register.open_to_requests(found),
        routes=registry.offered_workflows(),
        start_form=start_form_for(current_user, found),
    )
