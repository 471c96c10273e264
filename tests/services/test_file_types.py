"""Uploads are recognised by their content: a file that is two things at once is refused."""

import io
import zipfile

import pytest

from assettransfer.services import file_types
from assettransfer.services.file_types import FILE_TYPES, problem_with
from assettransfer.walks import blank_pdf

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
MARKUP = b"<html><body><script>alert(document.cookie)</script></body></html>"


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def office(extension: str, **extra: bytes) -> bytes:
    file_type = FILE_TYPES[extension]
    members = {name: b"<?xml version='1.0'?><x/>" for name in file_type.zip_members}
    if "mimetype" in members:
        members["mimetype"] = file_type.media_type.encode()
    return zipped(members | extra)


def with_comment(pdf: bytes, comment: bytes) -> bytes:
    """The PDF with a comment line after its header, where a polyglot hides its markup."""
    header, rest = pdf.split(b"\n", 1)
    return header + b"\n%" + comment + b"\n" + rest


@pytest.mark.parametrize("extension, data", [
    ("pdf", blank_pdf()),
    ("png", PNG),
    ("jpg", JPEG),
    ("docx", office("docx")),
    ("xlsx", office("xlsx")),
    ("odt", office("odt")),
    ("ods", office("ods")),
])
def test_a_plain_file_of_each_type_is_accepted(extension, data):
    assert problem_with(extension, data) is None


@pytest.mark.parametrize("extension, data, says", [
    ("pdf", with_comment(blank_pdf(), MARKUP), "contains web page code"),
    ("pdf", b"%PDF-1.7\n" + b"not really a PDF at all\n" * 20, "PDF could not be opened"),
    ("pdf", blank_pdf() + zipped({"payload.jar": b"x"}), "also a ZIP archive"),
    ("png", PNG + MARKUP, "contains web page code"),
    ("png", PNG + zipped({"payload.jar": b"x"}), "also a ZIP archive"),
    ("jpg", JPEG + b"%PDF-1.4\n", "also a PDF"),
    ("docx", zipped({"word/other.xml": b"x"}), "not a complete Word document"),
    ("docx", office("docx")[:-30], "not a complete Word document"),
    ("odt", zipped({"mimetype": b"text/html", "content.xml": b"x"}),
     "not a complete OpenDocument text"),
], ids=["pdf+html", "pdf-unreadable", "pdf+zip", "png+html", "png+zip", "jpeg+pdf",
        "docx-without-its-parts", "docx-cut-short", "odt-another-mimetype"])
def test_a_polyglot_or_broken_file_is_refused(extension, data, says):
    assert says in (problem_with(extension, data) or "")


def test_a_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(file_types, "_MAX_UNZIPPED_BYTES", 1024 * 1024)
    bomb = office("xlsx", **{"xl/padding.xml": bytes(2 * 1024 * 1024)})
    assert len(bomb) < 10 * 1024
    assert "unpacks to more than we can accept" in problem_with("xlsx", bomb)
