"""The kinds of file a group may upload, each recognised by its content, and nothing else.

A file is refused unless it is wholly the type its name says. The first bytes must agree with
the extension (a renamed file is refused), and the file must not also be something else that a
browser, a PDF reader or an unzipper would open differently: a *polyglot*, such as a PDF whose
first kilobyte is also a web page, or an image that is also a ZIP archive. Office and
OpenDocument files are ZIP archives, so their members must be the ones such a document has.
"""

import io
import re
import zipfile
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass(frozen=True)
class FileType:
    label: str
    media_type: str
    magic: bytes
    # For ZIP-based documents: members every such document has.
    zip_members: tuple[str, ...] = ()

    @property
    def is_zip(self) -> bool:
        return bool(self.zip_members)


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
_ZIP = b"PK\x03\x04"

FILE_TYPES = {
    "pdf": FileType("PDF", "application/pdf", b"%PDF-"),
    "png": FileType("PNG image", "image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": FileType("JPEG image", "image/jpeg", b"\xff\xd8\xff"),
    "jpeg": FileType("JPEG image", "image/jpeg", b"\xff\xd8\xff"),
    "docx": FileType("Word document", _OOXML + "wordprocessingml.document", _ZIP,
                     ("[Content_Types].xml", "word/document.xml")),
    "xlsx": FileType("Excel spreadsheet", _OOXML + "spreadsheetml.sheet", _ZIP,
                     ("[Content_Types].xml", "xl/workbook.xml")),
    "odt": FileType("OpenDocument text", _ODF + "text", _ZIP, ("mimetype", "content.xml")),
    "ods": FileType("OpenDocument spreadsheet", _ODF + "spreadsheet", _ZIP,
                    ("mimetype", "content.xml")),
}

# Browsers sniff, and PDF readers look for "%PDF-", within the first kilobyte.
_SNIFFED_BYTES = 1024
# Office documents unpack to a few times their size; a hundred times is not a document.
_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
_MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|object|embed|svg|meta|style)\b", re.IGNORECASE)


def accepted_types() -> str:
    return ", ".join(sorted({t.label for t in FILE_TYPES.values()}))


def problem_with(extension: str, data: bytes) -> str | None:
    """Why ``data`` is not purely a file of the type its ``extension`` says, in words for the
    person uploading it; None when it is."""
    file_type = FILE_TYPES.get(extension)
    if file_type is None or not data.startswith(file_type.magic):
        return f"The file must be one of these types: {accepted_types()}"
    start = data[:_SNIFFED_BYTES]
    is_pdf = file_type.media_type == "application/pdf"
    if _MARKUP.search(start):
        return "The file contains web page code: save it again as a plain " + file_type.label
    if not is_pdf and b"%PDF-" in start:
        return "The file is also a PDF: upload it as one or the other, not both"
    if file_type.is_zip:
        return _zip_problem(file_type, data)
    if zipfile.is_zipfile(io.BytesIO(data)):
        return f"The file is also a ZIP archive: upload the {file_type.label} on its own"
    if is_pdf and not _opens_as_pdf(data):
        return "The PDF could not be opened: it may be damaged, so save it again and re-upload it"
    return None


def _zip_problem(file_type: FileType, data: bytes) -> str | None:
    broken = f"The file is not a complete {file_type.label}: save it again and re-upload it"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: info for info in archive.infolist()}
            if not set(file_type.zip_members) <= set(members):
                return broken
            # A "zip bomb" unpacks to far more than it weighs, to exhaust whoever opens it.
            if sum(info.file_size for info in members.values()) > _MAX_UNZIPPED_BYTES:
                return f"The {file_type.label} unpacks to more than we can accept"
            mimetype = members.get("mimetype")
            if mimetype and (mimetype.file_size > len(file_type.media_type) or archive.read(
                    mimetype).decode("ascii", "replace") != file_type.media_type):
                return broken
    except zipfile.BadZipFile:
        return broken
    return None


def _opens_as_pdf(data: bytes) -> bool:
    try:
        return len(PdfReader(io.BytesIO(data)).pages) > 0
    except Exception:  # noqa: BLE001  pypdf raises many kinds of error on a malformed file
        return False
