"""The renderer: only our own files and data: URLs are fetched, and refusals stop the render."""
import base64
import gc
import io
import socket
import threading
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
    fetcher = _weasyprint().fetcher_class([root])
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
    assert "/StructTreeRoot" in root  # tagged (PDF/A-3a, level A, requires it)


def fonts_of(data: bytes) -> set[str]:
    """The base font names embedded in a PDF, without their subset tags."""
    names = set()
    for page_ in PdfReader(io.BytesIO(data)).pages:
        for font in page_["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def text_of(data: bytes) -> str:
    return "\n".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(data)).pages)


LETTER = page('<h1>Decision notice</h1><p class="muted">Reference <strong>TST-1</strong></p>'
              '<div class="running"><span class="run-ref">Council · TST-1</span></div>')


def test_renders_in_a_row_reuse_fonts_and_stylesheet_and_give_the_same_pdf(app):
    renderer = get_renderer(app)
    first = render_pdf(app, LETTER)
    tools = (renderer.fetcher, renderer.font_config, renderer.css)
    second = render_pdf(app, LETTER)
    assert (renderer.fetcher, renderer.font_config, renderer.css) == tools  # made once
    assert get_renderer(app) is renderer
    assert text_of(second.data) == text_of(first.data)
    assert "Decision notice" in text_of(first.data)
    # The stylesheet names its fonts: DejaVu Sans throughout, bold included, on both renders.
    assert fonts_of(first.data) == fonts_of(second.data) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_the_footer_uses_the_named_font_too(app):
    # Margin boxes default to a serif face unless the stylesheet names the font there as well.
    pdf = render_pdf(app, page("<p>x</p>"))
    assert "Page 1 of 1" in text_of(pdf.data)
    assert fonts_of(pdf.data) == {"DejaVu-Sans"}


def test_the_fetcher_still_refuses_local_files_after_renders_have_warmed_it(app):
    render_pdf(app, LETTER)
    for html in (page("", f'<link rel="attachment" href="file://{SECRET}">'),
                 page(f'<img src="file://{SECRET}">')):
        with pytest.raises(RenderError, match="refused"):
            render_pdf(app, html)
    assert "Decision notice" in text_of(render_pdf(app, LETTER).data)  # and renders on


def test_each_thread_has_its_own_fonts_stylesheet_and_fetcher(app):
    """WeasyPrint documents none of its objects as thread-safe: each thread has its own, reused."""
    renderer = get_renderer(app)
    render_pdf(app, LETTER)
    mine = (renderer.fetcher, renderer.font_config, renderer.css)
    theirs, results, errors = [], [], []
    barrier = threading.Barrier(2)

    def render_twice():
        try:
            barrier.wait(timeout=10)
            results.append(render_pdf(app, LETTER))
            theirs.append((renderer.fetcher, renderer.font_config, renderer.css))
            results.append(render_pdf(app, LETTER))
            with pytest.raises(RenderError):
                render_pdf(app, page(f'<img src="file://{SECRET}">'))
        except BaseException as error:  # noqa: BLE001  (reported to the test's thread)
            errors.append(error)

    threads = [threading.Thread(target=render_twice) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == 4
    assert {text_of(result.data) for result in results} == {text_of(render_pdf(app, LETTER).data)}
    assert all(fonts_of(result.data) == {"DejaVu-Sans", "DejaVu-Sans-Bold"} for result in results)
    made = {id(obj) for tools in theirs + [mine] for obj in tools}
    assert len(made) == 9  # three threads, three objects each, nothing shared
    assert (renderer.fetcher, renderer.font_config, renderer.css) == mine


def test_the_garbage_collector_is_on_again_after_a_render(app):
    assert gc.isenabled()
    render_pdf(app, LETTER)
    assert gc.isenabled()
    with pytest.raises(RenderError):
        render_pdf(app, page(f'<img src="file://{SECRET}">'))
    assert gc.isenabled()


def test_template_folder_is_the_documents_folder(app):
    assert documents_template_dir(app) == Path(app.root_path).parent / "templates" / "documents"
