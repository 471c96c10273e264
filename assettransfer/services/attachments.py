"""Evidence uploaded with an application: checked by content, stored immutably, hashed."""
import hashlib
import unicodedata
import uuid
from pathlib import PurePath

from flask import current_app
from sqlalchemy import func, select

from ..documents.storage import ATTACHMENTS_PREFIX, get_storage, store
from ..extensions import db
from ..models import Application, Attachment, AttachmentKind, Role
from ..workflow import workflows
from .account_links import require_confirmed_email
from .applications import visible_to
from .audit import record_event
from .errors import FieldError, NotAllowed, NotFound, TooLarge, UnsupportedType, ValidationFailed
from .file_types import FILE_TYPES, problem_with
from .records import by_id


def max_bytes() -> int:
    return current_app.config["UPLOAD_MAX_BYTES"]


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _check_may_change(user, application: Application) -> None:
    if user.role != Role.APPLICANT or not application.organisation.has_member(user):
        raise NotAllowed("Only members of the applying organisation can change its documents")
    require_confirmed_email(user)
    state = workflows()[application.workflow].states[application.state]
    if not state.editable:
        raise ValidationFailed("Documents cannot be changed at this stage", [FieldError(
            "file", f"The application is “{state.applicant_label}”")])


# Control characters, and the invisible ones that reorder text (a right-to-left override, U+202E,
# makes "invoice<U+202E>fdp.exe" read as "invoiceexe.pdf"), make a name read as what it is not.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def _check_name(name: str) -> None:
    if any(unicodedata.category(c) in _HIDDEN_CATEGORIES for c in name):
        raise ValidationFailed("The file name is not accepted", [FieldError(
            "file", "The file name must not contain control or text-direction characters: "
                    "rename the file and upload it again")])


def _check_room_for_another(application: Application) -> None:
    limit = current_app.config["UPLOAD_MAX_FILES_PER_APPLICATION"]
    count = db.session.scalar(select(func.count()).select_from(Attachment)
                              .where(Attachment.application_id == application.id))
    if count >= limit:
        raise ValidationFailed("The application has too many files", [FieldError(
            "file", f"An application can have at most {limit} files: remove one before "
                    "adding another")])


def add_attachment(user, application: Application, kind, filename, data: bytes) -> Attachment:
    _check_may_change(user, application)
    if kind not in {k.value for k in AttachmentKind}:
        raise ValidationFailed("Choose what the document is", [FieldError(
            "kind", f"Choose one of: {', '.join(k.value for k in AttachmentKind)}")])
    name = PurePath(str(filename or "").replace("\\", "/")).name.strip()
    if not name or not data:
        raise ValidationFailed("Choose a file to upload", [FieldError(
            "file", "The selected file is empty")])
    _check_name(name)
    _check_room_for_another(application)
    if len(data) > max_bytes():
        raise TooLarge("The file is too large", [FieldError(
            "file", f"The file must be smaller than {human_size(max_bytes())}")])
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    problem = problem_with(extension, data)
    if problem:
        raise UnsupportedType("The file type is not accepted", [FieldError("file", problem)])
    stored_name = f"{ATTACHMENTS_PREFIX}/{application.id}/{uuid.uuid4().hex}.{extension}"
    attachment = Attachment(
        application_id=application.id, kind=AttachmentKind(kind), original_filename=name[:255],
        stored_name=stored_name, media_type=FILE_TYPES[extension].media_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    db.session.flush()
    record_event(application, user, "add_attachment", payload={
        "attachment_id": attachment.id, "kind": kind, "filename": attachment.original_filename,
        "sha256": attachment.sha256, "size": attachment.size})
    store(stored_name, data)  # a rollback leaves the file for prune, never deletes it
    return attachment


def remove_attachment(user, attachment: Attachment) -> None:
    application = db.session.get(Application, attachment.application_id)
    _check_may_change(user, application)
    record_event(application, user, "remove_attachment", payload={
        "attachment_id": attachment.id, "kind": attachment.kind.value,
        "filename": attachment.original_filename, "sha256": attachment.sha256})
    db.session.delete(attachment)
    db.session.flush()


def get_attachment(user, attachment_id: int) -> Attachment:
    attachment = by_id(Attachment, attachment_id)
    if (attachment is None
            or not visible_to(user, db.session.get(Application, attachment.application_id))):
        raise NotFound("No such attachment")
    return attachment


def read_attachment(attachment: Attachment) -> bytes:
    return get_storage(current_app).open(attachment.stored_name)


def attachments_of(application: Application) -> list[Attachment]:
    return list(db.session.scalars(
        select(Attachment).where(Attachment.application_id == application.id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    ))
