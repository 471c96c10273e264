"""Downloads shared by the applicant and council pages: ``/files``.

Issued documents, uploaded attachments and an application's current legal pack. Only members of
the applying organisation and council staff may download them; anyone else gets a 404, as if the
file did not exist. Each file is immutable, so its SHA-256 is its ETag. Cache-Control and
nosniff are set with the other security headers (security_headers.py).
"""

from urllib.parse import quote

from flask import Blueprint, Response, request
from flask_login import current_user

from ..services.attachments import get_attachment, read_attachment
from ..services.reads import get_document, legal_pack_for, read_document
from .access import require_login

bp = Blueprint("files", __name__, url_prefix="/files")
bp.before_request(require_login)


def download(data: bytes, media_type: str, filename: str, sha256: str) -> Response:
    response = Response(data, mimetype=media_type)
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.set_etag(sha256)
    return response.make_conditional(request)


def _pdf_name(document) -> str:
    return f"{document.kind.replace('_', '-')}-v{document.version}.pdf"


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    found = get_document(current_user, document_id)
    return download(read_document(found), "application/pdf", _pdf_name(found), found.sha256)


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    found = get_attachment(current_user, attachment_id)
    return download(read_attachment(found), found.media_type, found.original_filename,
                     found.sha256)


@bp.get("/applications/<int:application_id>/legal-pack")
def legal_pack(application_id: int):
    pack = legal_pack_for(current_user, application_id)
    return download(read_document(pack), "application/pdf", _pdf_name(pack), pack.sha256)
