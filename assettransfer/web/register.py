"""The public register of requests and decisions, and its open data, for anyone without signing
in: ``/register``, ``/register/<reference>`` (where a representation can be made online while the
request is open for them) and ``/open-data/asset-transfer-requests[.csv|.json]``."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import throttle
from ..services import casework, register_data
from ..services import register as requests_register
from ..services.errors import ValidationFailed
from ..services.licence import LINK_HEADER, OPEN_GOVERNMENT_LICENCE
from .files import download
from .forms import apply_errors, saving
from .forms.register import OnlineRepresentationForm, RegisterSearchForm

bp = Blueprint("register", __name__)


@bp.get("/register")
def index():
    form = RegisterSearchForm(formdata=request.args)
    filters = form.filters()
    try:
        pager = requests_register.search_register(
            **filters, page=request.args.get("page", 1),
            per_page=current_app.config["PAGE_SIZE"])
    except ValidationFailed as exc:
        apply_errors(form, exc)
        pager = None
    searched = {k: v for k, v in filters.items() if v}
    return render_template("public/register.html", form=form, pager=pager, searched=searched)


@bp.route("/register/<reference>", methods=["GET", "POST"])
@throttle.representation
def entry(reference: str):
    detail = requests_register.register_entry(reference)
    form = OnlineRepresentationForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            application = requests_register.request_for_representation(reference)
            with saving(form) as saved:
                casework.make_representation(application, form.from_name.data,
                                             form.address.data, form.email.data, form.text.data)
            if saved.ok:
                flash(f"Your representation on {detail.entry.reference} has been received. "
                      "We have sent a copy to your email address.", "success")
                return redirect(url_for(".entry", reference=detail.entry.reference))
        status = 400  # shown again with the reasons: nothing was saved
    return render_template("public/register_entry.html", detail=detail, form=form), status


@bp.get("/register/<reference>/documents/<int:document_id>")
def document(reference: str, document_id: int):
    found = requests_register.public_document(reference, document_id)
    return download(found.data, "application/pdf", found.filename, found.sha256)


@bp.get("/open-data/asset-transfer-requests")
def open_data():
    return render_template("public/open_data_requests.html", fields=register_data.FIELDS,
                           licence=OPEN_GOVERNMENT_LICENCE)


@bp.get("/open-data/asset-transfer-requests.json")
def open_data_json():
    response = jsonify(register_data.as_json())
    response.headers["Link"] = LINK_HEADER
    return response


@bp.get("/open-data/asset-transfer-requests.csv")
def open_data_csv():
    response = Response(register_data.as_csv(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{register_data.NAME}.csv"')
    response.headers["Link"] = LINK_HEADER
    return response
