"""HTML to PDF with WeasyPrint 70, behind a URL fetcher that can only read our own files.

WeasyPrint's default fetcher reads any local file and any URL: ``<link rel="attachment"
href="file:///etc/passwd">`` would embed the file in the PDF, and a server that never answers
would hold a render for 10 s. Ours serves ``data:`` URLs and regular files under a few folders
(the app's ``static/`` and ``templates/documents/``) and refuses everything else. It is built
with ``fail_on_errors=True``, so a refused fetch stops the render (WeasyPrint raises its
``FatalURLFetchingError``, a BaseException, which we turn into ``RenderError``) instead of being
logged and skipped.

``import weasyprint`` costs about a second, so it happens once, on the first render. Each thread
keeps its own fetcher, ``FontConfiguration`` (one for all apps) and parsed print stylesheet, made
on its first render and reused by every later one (the fonts' and stylesheet's caches are what
make later renders fast). They are per thread, not per process, because none of them is known to
be safe to share: the fetcher keeps the request it is handling in an attribute, the font
configuration wraps fontconfig and Pango state, and WeasyPrint documents none of its objects as
thread-safe. So two threads (gunicorn's, or the in-process job runner's) render side by side
without a lock, and a long legal pack never holds up a letter.
"""

import functools
import gc
import mimetypes
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import Flask

from .errors import RenderError

# PDF/A-3a: archival (fonts embedded, an sRGB OutputIntent, XMP identification) and tagged, the
# "a" level requiring the structure tree, language and displayed title that screen readers need
# and that PDF/UA-1 gave. WeasyPrint writes one variant's XMP identification, so the file claims
# PDF/A-3a, not PDF/UA-1 as well. A letter renders 1.03-1.08x as long as with PDF/UA-1
# (benchmarks/documents.py prints the ratio).
PDF_VARIANT = "pdf/a-3a"
_EXTENSION_KEY = "assettransfer.pdf"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int
    # id -> 0-based index of the page where that element starts, for elements the caller asked
    # about (the legal pack needs to know where each section starts).
    anchor_pages: dict[str, int] = field(default_factory=dict)


@functools.cache
def _weasyprint() -> SimpleNamespace:
    """The weasyprint module, its font configuration class and our fetcher class, made once."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class RestrictedURLFetcher(URLFetcher):
        """Serves ``data:`` URLs and files under ``roots``; refuses everything else."""

        def __init__(self, roots):
            super().__init__(allowed_protocols={"data"}, fail_on_errors=True, timeout=1)
            self.roots = [os.path.realpath(root) for root in roots]

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                return self._local_file(url)
            raise PermissionError(f"refused to fetch {url!r}: only our own files are served")

        def _local_file(self, url):
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise PermissionError(f"refused to fetch {url!r}: remote file URL")
            # realpath resolves ".." and symlinks before the folder check.
            path = os.path.realpath(url2pathname(unquote(parts.path)))
            if not any(path.startswith(root + os.sep) for root in self.roots):
                raise PermissionError(f"refused to fetch {url!r}: outside the allowed folders")
            if not os.path.isfile(path):
                raise FileNotFoundError(f"no such file: {url!r}")
            with open(path, "rb") as f:
                body = f.read()
            media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, headers={"Content-Type": media_type})

    return SimpleNamespace(
        module=weasyprint,
        FontConfiguration=FontConfiguration,
        fetcher_class=RestrictedURLFetcher,
        fatal=FatalURLFetchingError,
    )


class _CollectorPause:
    """Keeps the cyclic garbage collector off while any thread renders.

    A render allocates many short-lived boxes; in a process holding an app, the collector's passes
    over them cost up to half the render. The garbage is collected once no render is running.
    Counted, because the switch is one per process and renders overlap.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._renders = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self):
        with self._lock:
            if self._renders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._renders += 1
        try:
            yield
        finally:
            with self._lock:
                self._renders -= 1
                if self._renders == 0 and self._was_enabled:
                    gc.enable()


_collector_paused = _CollectorPause()
_thread = threading.local()  # this thread's FontConfiguration, shared by every app's renderer


def _font_config():
    font_config = getattr(_thread, "font_config", None)
    if font_config is None:
        font_config = _thread.font_config = _weasyprint().FontConfiguration()
    return font_config


class Renderer:
    """Renders HTML for one app: its allowed folders, base URL and print stylesheet."""

    def __init__(self, roots: list[Path], base_dir: Path, stylesheet: Path):
        self.roots = list(roots)
        self.base_url = base_dir.resolve().as_uri() + "/"
        self.stylesheet = stylesheet
        self._local = threading.local()

    def _tools(self) -> SimpleNamespace:
        """This thread's fetcher, font configuration and parsed stylesheet (the stylesheet parsed
        with that font configuration, as WeasyPrint requires)."""
        tools = getattr(self._local, "tools", None)
        if tools is None:
            weasy = _weasyprint()
            fetcher = weasy.fetcher_class(self.roots)
            font_config = _font_config()
            css = weasy.module.CSS(
                filename=str(self.stylesheet), url_fetcher=fetcher, font_config=font_config
            )
            tools = self._local.tools = SimpleNamespace(
                fetcher=fetcher, font_config=font_config, css=css
            )
        return tools

    @property
    def fetcher(self):
        return self._tools().fetcher

    @property
    def font_config(self):
        return self._tools().font_config

    @property
    def css(self):
        return self._tools().css

    def render(self, html: str, anchors: tuple[str, ...] = ()) -> RenderedPdf:
        """Lay out ``html`` and return the PDF bytes and page count; raise ``RenderError``."""
        weasy = _weasyprint()
        tools = self._tools()
        try:
            with _collector_paused():
                document = weasy.module.HTML(
                    string=html, base_url=self.base_url, url_fetcher=tools.fetcher
                ).render(
                    font_config=tools.font_config,
                    stylesheets=[tools.css],
                    pdf_variant=PDF_VARIANT,
                )
                data = document.write_pdf(pdf_variant=PDF_VARIANT)
        except weasy.fatal as error:  # a BaseException: would escape `except Exception`
            raise RenderError(f"{error}: {error.__cause__}") from error.__cause__
        anchor_pages = {}
        for index, page in enumerate(document.pages):
            for name in anchors:
                if name in page.anchors:
                    anchor_pages.setdefault(name, index)
        return RenderedPdf(data=data, page_count=len(document.pages), anchor_pages=anchor_pages)


def documents_template_dir(app: Flask) -> Path:
    return Path(app.root_path, app.template_folder or "templates", "documents").resolve()


def get_renderer(app: Flask) -> Renderer:
    """The app's renderer, made on first use (WeasyPrint is imported on the first render)."""
    renderer = app.extensions.get(_EXTENSION_KEY)
    if renderer is None:
        templates = documents_template_dir(app)
        # Only templates/documents (the print stylesheet) and static/ (the logo); not the whole
        # templates folder: letters need nothing else there.
        roots = [templates] + ([Path(app.static_folder)] if app.static_folder else [])
        renderer = app.extensions.setdefault(
            _EXTENSION_KEY, Renderer(roots, templates, templates / "letter.css")
        )
    return renderer


def render_pdf(app: Flask, html: str, anchors: tuple[str, ...] = ()) -> RenderedPdf:
    return get_renderer(app).render(html, anchors)
