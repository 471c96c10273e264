"""Anyone may check whether a PDF, or its SHA-256, is a document this council issued."""
from .. import throttle
from ..services.verification import verify
from . import schemas as s
from . import schemas_out as out
from . import serialise
from .blueprint import route


@route("/verify", "POST", summary="Check a document: did this council issue it?", tag="documents",
       auth="optional", body=s.VerifyRequest, multipart=True, response=out.VerifyOut,
       errors=(413, 415, 422))
@throttle.verification
def verify_document(user, body):
    """Send the PDF as ``file`` (its signatures are checked too) or its SHA-256 as ``sha256``.
    The answer says whether the council issued it, for which case, which version, whether it has
    been superseded, and whether each signature is valid. The file is not kept."""
    return serialise.verdict(verify(body.file, body.sha256))
