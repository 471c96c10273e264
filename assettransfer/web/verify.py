"""``/verify``: anyone may check whether a PDF (or its SHA-256) is one this council issued,
which case and version it is, whether it was superseded and whether its signatures hold.

Nothing of the upload is kept (``services.verification`` reads it in memory only).
"""

from flask import Blueprint, current_app, render_template
from werkzeug.exceptions import RequestEntityTooLarge

from .. import throttle
from ..services.attachments import human_size
from ..services.verification import verify
from .forms import saving
from .forms.public import VerifyForm

bp = Blueprint("verify", __name__)


@bp.route("/verify", methods=["GET", "POST"])
@throttle.verification
def check():
    limit = human_size(current_app.config["VERIFY_MAX_BYTES"])
    verdict, status = None, 200
    try:
        form = VerifyForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form, submitted, status = VerifyForm(formdata=None), False, 413
        form.file.errors = [f"The file must be smaller than {limit}"]
    if submitted:
        with saving(form) as saved:
            upload = form.uploaded
            verdict = verify(upload.read() if upload else None, form.sha256.data)
        status = 200 if saved.ok else 422
    elif form.errors and status == 200:
        status = 422
    return render_template("public/verify.html", form=form, verdict=verdict,
                           max_size=limit), status
