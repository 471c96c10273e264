"""Evidence, assessments, representations, and the documents the council issues."""
import io

from flask import request, send_file

from ..services import applications, attachments, casework
from ..services.reads import (
    assessments_for,
    documents_of,
    get_document,
    legal_pack_for,
    read_document,
)
from . import schemas as s
from . import schemas_out as out
from . import serialise
from .blueprint import route
from .registry import ID

APPLICATION = f"/applications/<{ID}:application_id>"


def _file(data: bytes, media_type: str, filename: str, sha256: str, attachment: bool):
    """The file with a strong ETag of its SHA-256; ``If-None-Match`` with it answers 304."""
    response = send_file(io.BytesIO(data), mimetype=media_type, as_attachment=attachment,
                         download_name=filename, etag=sha256, conditional=False, max_age=0)
    return response.make_conditional(request)


@route(f"{APPLICATION}/attachments", "POST", summary="Upload evidence (members, while editable)",
       tag="attachments", body=s.AttachmentUpload, multipart=True, status=201,
       response=out.AttachmentOut, errors=(403,))
def upload_attachment(user, application_id, body):
    """Accepted: PDF, PNG, JPEG, Word, Excel and OpenDocument files, checked by their content.
    Too large a file is refused with 413, another type with 415."""
    attachment = attachments.add_attachment(
        user, applications.get_application(user, application_id), body.kind, body.filename,
        body.file)
    result = serialise.attachment(attachment)
    return result, {"Location": result.url}


@route(f"/attachments/<{ID}:attachment_id>", summary="Download evidence (members and council)",
       tag="attachments", response="application/octet-stream")
def download_attachment(user, attachment_id):
    attachment = attachments.get_attachment(user, attachment_id)
    return _file(attachments.read_attachment(attachment), attachment.media_type,
                 attachment.original_filename, attachment.sha256, attachment=True)


@route(f"{APPLICATION}/assessments", "POST", summary="Save your assessment (officers)",
       tag="casework", body=s.AssessmentSave, response=out.AssessmentOut, errors=(403,))
def save_assessment(user, application_id, body):
    """Scores (0 to 5) and comments against the workflow's criteria; saving again replaces your
    own assessment. Workflows whose criteria have no weight take comments only."""
    assessment = casework.save_assessment(
        user, applications.get_application(user, application_id), body.scores, body.comments)
    return serialise.assessment(assessment)


@route(f"{APPLICATION}/assessments", summary="Officers' assessments (council roles)",
       tag="casework", response=out.AssessmentList, errors=(403,))
def list_assessments(user, application_id):
    found = assessments_for(user, applications.get_application(user, application_id))
    return out.AssessmentList(items=[serialise.assessment(a) for a in found])


@route(f"{APPLICATION}/representations", "POST",
       summary="Record a representation received (officers; scotland-atr)", tag="casework",
       body=s.RepresentationCreate, status=201, response=out.RepresentationOut, errors=(403,))
def record_representation(user, application_id, body):
    """Only while the request is open for representations (SSI 2016/357 reg 7)."""
    representation = casework.record_representation(
        user, applications.get_application(user, application_id), body.from_name,
        body.received_on, body.text)
    return serialise.representation(representation)


@route(f"{APPLICATION}/documents", summary="Every document issued, each version",
       tag="documents", response=out.DocumentList)
def list_documents(user, application_id):
    """Superseded versions are listed too, with ``current`` false."""
    return serialise.document_list(documents_of(applications.get_application(user, application_id)))


@route(f"/documents/<{ID}:document_id>", summary="Download an issued document (PDF)",
       tag="documents", response="application/pdf")
def download_document(user, document_id):
    """The ``ETag`` is the document's SHA-256, as recorded when it was issued."""
    document = get_document(user, document_id)
    filename = f"{document.kind}-v{document.version}.pdf"
    return _file(read_document(document), "application/pdf", filename, document.sha256,
                 attachment=False)


@route(f"{APPLICATION}/legal-pack", summary="Download the current legal pack (PDF)",
       tag="documents", response="application/pdf")
def download_legal_pack(user, application_id):
    """Sign it with the ``sign`` action, giving its SHA-256 (the ``ETag``) as ``pack_sha256``."""
    pack = legal_pack_for(user, application_id)
    return _file(read_document(pack), "application/pdf", f"legal-pack-v{pack.version}.pdf",
                 pack.sha256, attachment=False)

