"""Issued letters are archival (PDF/A-3a) and stay so once sealed: checked with pypdf, veraPDF not
being installable here, on what the standard asks of the file: the XMP identification, an
OutputIntent with its ICC profile, every font embedded, a tagged structure and a language."""
import io

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from assettransfer.documents import get_storage
from assettransfer.services.public import copy_policy

from .issuing import issue_documents

EMBEDDED = ("/FontFile", "/FontFile2", "/FontFile3")


def reachable(root) -> list[DictionaryObject]:
    """Every dictionary reachable from ``root`` (the catalog), each once."""
    seen, found, todo = set(), [], [root]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found.append(item)
            todo.extend(value for key, value in item.items() if key not in ("/Parent", "/P"))
        elif isinstance(item, ArrayObject):
            todo.extend(item)
    return found


def assert_archival(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    xmp = reader.xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "A")
    [intent] = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"  # an RGB ICC profile
    assert root["/MarkInfo"]["/Marked"].value is True and "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # shows the title
    assert reader.trailer["/ID"]
    fonts = [d for d in reachable(root) if d.get("/Type") == "/FontDescriptor"]
    assert fonts and all(any(key in font for key in EMBEDDED) for font in fonts), fonts
    return reader


@pytest.fixture
def refusal(case, record_event):
    application = case("scotland-atr", state="refused")
    event = record_event(application, "refuse", {"reasons": "Not viable."})
    [notice] = issue_documents(application, ["decision_notice"], event,
                               {"reasons": "Not viable.", "decision": "refused"},
                               copy_policy(application))
    return notice


def test_a_sealed_letter_is_pdf_a_3a(app, refusal):
    reader = assert_archival(get_storage(app).open(refusal.stored_name))
    assert reader.metadata.title.startswith("Decision notice")
    # The seal is an incremental update over the PDF/A file: its field is there, the
    # identification above was read from the file as sealed.
    assert [f.get_object()["/T"] for f in reader.trailer["/Root"]["/AcroForm"]["/Fields"]] == [
        "CouncilSeal"]


def test_the_published_copy_is_pdf_a_3a_too(app, refusal):
    assert_archival(get_storage(app).open(refusal.public_stored_name))
