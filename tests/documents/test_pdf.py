"""The renderer: only our own files and data: URLs are fetched, and refusals stop the render."""
import base64
import io
import socket
from pathlib import Path

import pytest
from pypdf import PdfReader

from assettransfer.documents.errors import RenderError
from assettransfer.documents.pdf import (
    _weasyprint,
    documents_template_dir,
    get_renderer,
    render_pdf,
)

SECRET = "/etc/passwd"
# 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def page(body: str, head: str = "") -> str:
    return (f'<html lang="en-GB"><head><title>T</title>{head}</head>'
            f'<body><p>Hello</p>{body}</body></html>')


@pytest.fixture
def listener():
    """A local server that records whether anything connected to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture
def no_network(monkeypatch):
    """Fail if the render opens any socket connection at all."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.mark.parametrize("html", [
    page("", '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'),
    page('<img src="http://127.0.0.1:9/x.png">'),
    page("", '<link rel="attachment" href="https://127.0.0.1:9/x.txt">'),
    page('<div style="background: url(http://127.0.0.1:9/bg.png)">x</div>'),
    page("", '<style>@import url("http://127.0.0.1:9/x.css");</style>'),
    page("", '<style>@font-face { font-family: X; src: url(http://127.0.0.1:9/x.ttf) } '
             'p { font-family: X }</style>'),
], ids=["stylesheet", "img", "attachment", "background", "import", "font-face"])
def test_network_urls_are_refused_without_a_request(app, html, no_network):
    with pytest.raises(RenderError, match="refused"):
        render_pdf(app, html)
    assert no_network == []


def test_refused_fetch_never_reaches_a_listening_server(app, listener):
    port = listener.getsockname()[1]
    with pytest.raises(RenderError):
        render_pdf(app, page(f'<img src="http://127.0.0.1:{port}/x.png">',
                             f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'))
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected


@pytest.mark.parametrize("html", [
    page(f'<img src="file://{SECRET}">'),
    page("", f'<link rel="stylesheet" href="file://{SECRET}">'),
    page("", f'<link rel="attachment" href="file://{SECRET}">'),
    page(f'<a rel="attachment" href="file://{SECRET}">passwd</a>'),
    page("", '<link rel="attachment" href="../../../../../../etc/passwd">'),
    page('<img src="file://localhost/etc/passwd">'),
    page('<img src="ftp://127.0.0.1:9/x.png">'),
], ids=["img", "stylesheet", "link-attachment", "a-attachment", "relative-escape", "localhost",
        "ftp"])
def test_local_files_outside_our_folders_are_refused(app, html):
    with pytest.raises(RenderError) as raised:
        render_pdf(app, html)
    assert isinstance(raised.value, Exception)  # not WeasyPrint's BaseException


def test_refused_files_never_leak_into_any_output(app):
    # Even where WeasyPrint would only log a failed attachment, the render stops: nothing is
    # produced that could hold the file. Belt and braces: the fetcher itself refuses it.
    fetcher = get_renderer(app).fetcher
    with pytest.raises(PermissionError):
        fetcher.fetch(f"file://{SECRET}")
    with pytest.raises(PermissionError):
        fetcher.fetch(documents_template_dir(app).as_uri() + "/../../../../etc/passwd")


def test_own_files_and_data_urls_are_served(app, tmp_path):
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    pdf = render_pdf(app, page(f'<img src="{data_url}" alt="dot">',
                               '<link rel="stylesheet" href="letter.css">'))
    assert pdf.data.startswith(b"%PDF-") and pdf.page_count == 1
    css = get_renderer(app).fetcher.fetch((documents_template_dir(app) / "letter.css").as_uri())
    assert css.content_type == "text/css"


def test_symlinks_out_of_an_allowed_folder_are_refused(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "ok.txt").write_text("fine")
    fetcher = _weasyprint()["fetcher_class"]([root])
    assert fetcher.fetch((root / "ok.txt").as_uri()).read() == b"fine"
    with pytest.raises(PermissionError):
        fetcher.fetch((root / "link.txt").as_uri())


def test_logo_from_static_is_embedded(app, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "logo.png").write_bytes(PNG)
    app.static_folder = str(static)
    app.extensions.pop("assettransfer.pdf", None)  # roots are fixed when the renderer is made
    from assettransfer.documents.context import authority_info

    app.config["AUTHORITY_LOGO"] = "logo.png"
    logo_url = authority_info(app).logo_url
    assert logo_url == (static / "logo.png").as_uri()
    pdf = render_pdf(app, page(f'<img src="{logo_url}" alt="logo">'))
    reader = PdfReader(io.BytesIO(pdf.data))
    assert reader.pages[0].images  # the PNG is in the page

    app.config["AUTHORITY_LOGO"] = "../../etc/passwd"
    assert authority_info(app).logo_url is None


def test_metadata_language_and_tagging(app):
    pdf = render_pdf(app, '<html lang="en-GB"><head><title>Decision notice</title>'
                          '<meta name="author" content="Exampleshire Council"></head>'
                          '<body><h1>Decision</h1><p>Text</p></body></html>')
    reader = PdfReader(io.BytesIO(pdf.data))
    assert reader.metadata.title == "Decision notice"
    assert reader.metadata.author == "Exampleshire Council"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root  # tagged (PDF/UA-1 variant)


def test_stylesheet_and_fonts_are_parsed_once_per_app(app):
    renderer = get_renderer(app)
    css = renderer.css
    render_pdf(app, page(""))
    render_pdf(app, page(""))
    assert get_renderer(app) is renderer and renderer.css is css


def test_template_folder_is_the_documents_folder(app):
    assert documents_template_dir(app) == Path(app.root_path).parent / "templates" / "documents"
