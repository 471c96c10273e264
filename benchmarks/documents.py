"""How long documents take to render, against a bare page rendered in the same run. A script,
not a test:

    . .venv/bin/activate && python benchmarks/documents.py [--runs 9]

Baseline: a bare one-paragraph page through the same renderer (same fetcher, fonts, stylesheet
and PDF/A-3a variant), so the ratio is the cost of the letter's content and nothing else. Figures
are medians of the CPU time of warm runs (the process's: rendering is CPU-bound, and CPU time does
not count other processes' turns on a shared machine), the baseline and the letter taking turns in
each run so that the machine's slow spells fall on both alike. Then legal packs binding 10, 20
and 40 documents.

Targets (each printed with its figure and MET / NOT MET; the exit code is 0 either way):
- a stage letter (a one-page decision notice) renders within 3x the bare page;
- a legal pack grows linearly: the cost of each document added from 20 to 40 is within 1.5x the
  cost of each document added from 10 to 20 (the marginal cost, so that the pack's fixed cost,
  spread over more documents, cannot hide a per-document cost that grows).
Uses its own temporary SQLite app, and the stub workflow registry unless the real one defines
council-cat.
"""

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assettransfer import create_app
from assettransfer.documents import JOB_HANDLERS, issue_documents, issue_legal_pack
from assettransfer.documents.context import build_context
from assettransfer.documents.letters import DocumentInfo, render_html, template_name
from assettransfer.documents.pdf import get_renderer
from assettransfer.extensions import db
from assettransfer.models import JobStatus
from tests import factories
from tests.documents.stubs import stub_registry

# Rendering is CPU-bound in one thread: the process's CPU time is its cost, and unlike the wall
# clock it does not grow when other processes on a shared machine take turns on the cores.
CLOCK = time.process_time
LETTER_TARGET = 3.0
GROWTH_TARGET = 1.5
PACK_SIZES = (10, 20, 40)
NOT_ARCHIVAL = "pdf/ua-1"  # tagged without PDF/A's OutputIntent: what archival costs
BARE = (
    '<html lang="en-GB"><head><title>Baseline</title></head><body><p>One paragraph of text, '
    "the least a letter could be.</p></body></html>"
)
REFUSAL = {
    "decision": "refused",
    "reasons": "The business plan does not show how the running costs would be met.",
}
PACK_KINDS = [  # ten council-cat documents, as a long case might collect them
    ("eoi_acknowledgement", {}),
    ("eoi_outcome", {"decision": "agreed"}),
    ("application_acknowledgement", {}),
    ("information_request", {"missing_items": ["Accounts"]}),
    ("information_request", {"missing_items": ["Accounts", "Insurance"]}),
    ("assessment_report", {"recommendation": "Approve"}),
    (
        "decision_notice",
        {"decision": "agreed", "transfer_type": "Lease", "term_years": 35, "rent": 1},
    ),
    ("heads_of_terms", {"transfer_type": "Lease", "term_years": 35, "rent": 1}),
    ("transfer_summary", {"transfer_type": "Lease", "term_years": 35, "rent": 1}),
    ("completion_certificate", {"transfer_type": "Lease", "term_years": 35}),
]


def medians_in_turn(actions: dict, runs: int) -> dict[str, float]:
    """{name: median seconds} of warm runs, the actions taking turns within each run."""
    for action in actions.values():
        action()  # warm: templates compiled, fonts loaded
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            start = CLOCK()
            action()
            times[name].append(CLOCK() - start)
    return {name: statistics.median(spent) for name, spent in times.items()}


def make_app(folder: Path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "benchmark",
            "AUTHORITY_NATION": "england",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "STORAGE_DIR": str(folder / "storage"),
            "WORKFLOWS": ["council-cat"],
        }
    )


def verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


def made(orders: list) -> list:
    """Do the ordered jobs' work here, as the job worker does after the action's commit (the
    benchmark never commits), and mark them done."""
    documents = [JOB_HANDLERS[order.kind](order.payload) for order in orders]
    for order in orders:
        order.status, order.finished_at = JobStatus.DONE, datetime.now(UTC)
    return documents


def letter_figures(app, application, runs: int) -> dict:
    """The bare page, the decision notice's stages, and the notice rendered without reuse."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from assettransfer.documents.pdf import PDF_VARIANT

    renderer = get_renderer(app)
    context = build_context(application, None, REFUSAL)
    info = DocumentInfo("decision_notice", "Decision notice", 1, context["issued_on"])
    template = template_name("council-cat", "decision_notice")
    html = render_html(app, template, {**context, "document": info})

    def unshared():
        """As a render that keeps nothing between letters would: new fonts, stylesheet parsed."""
        fonts = FontConfiguration()
        css = CSS(filename=str(renderer.stylesheet), url_fetcher=renderer.fetcher,
                  font_config=fonts)
        HTML(string=html, base_url=renderer.base_url, url_fetcher=renderer.fetcher).render(
            font_config=fonts, stylesheets=[css], pdf_variant=PDF_VARIANT
        ).write_pdf(pdf_variant=PDF_VARIANT)

    stages = {}

    def staged():
        """The same render as ``renderer.render``, timed by stage through the public API."""
        started = CLOCK()
        parsed = HTML(string=html, base_url=renderer.base_url, url_fetcher=renderer.fetcher)
        parsed_at = CLOCK()
        document = parsed.render(font_config=renderer.font_config, stylesheets=[renderer.css],
                                 pdf_variant=PDF_VARIANT)
        laid_out_at = CLOCK()
        document.write_pdf(pdf_variant=PDF_VARIANT)
        for name, seconds in (("parse", parsed_at - started),
                              ("layout", laid_out_at - parsed_at),
                              ("pdf", CLOCK() - laid_out_at)):
            stages.setdefault(name, []).append(seconds)

    timed = medians_in_turn(
        {
            "bare": lambda: renderer.render(BARE),
            "bare, defaults": lambda: HTML(string=BARE).write_pdf(),
            "letter": lambda: renderer.render(html),
            "unshared": unshared,
            "not archival": lambda: HTML(
                string=html, base_url=renderer.base_url, url_fetcher=renderer.fetcher
            ).render(font_config=renderer.font_config, stylesheets=[renderer.css],
                     pdf_variant=NOT_ARCHIVAL).write_pdf(pdf_variant=NOT_ARCHIVAL),
            "staged": staged,
            "jinja": lambda: render_html(app, template, {**context, "document": info}),
            "issued": lambda: made(issue_documents(application, ["decision_notice"], None,
                                                   REFUSAL)),
        },
        runs,
    )
    stage_medians = {name: statistics.median(spent) for name, spent in stages.items()}
    return {**timed, **stage_medians, "pages": renderer.render(html).page_count}


def pack_figures(application, runs: int) -> dict[int, tuple[float, int]]:
    """{documents bound: (median seconds to issue the pack, its pages)}."""
    issued = []
    while len(issued) < max(PACK_SIZES):
        for kind, data in PACK_KINDS:
            issued += made(issue_documents(application, [kind], None, data))
    # A re-issue supersedes the kind's current version; the pack binds what is current, so for
    # each size the first ``size`` documents are made current and the rest superseded. The sizes
    # take turns, so that the machine's slow spells fall on all of them alike.
    def bind(size: int):
        def issue():
            for number, document in enumerate(issued):
                document.superseded_at = None if number < size else superseded_at
            db.session.flush()
            return made([issue_legal_pack(application, None)])[0]

        return issue

    superseded_at = datetime.now(UTC)
    actions = {size: bind(size) for size in PACK_SIZES}
    seconds = medians_in_turn(actions, runs)
    return {size: (seconds[size], actions[size]().page_count) for size in PACK_SIZES}


@contextmanager
def decided_case():
    """(app, a decided council-cat application) in a temporary SQLite app's context, rolled back
    after: what every document benchmark measures on."""
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        with app.app_context():
            db.create_all()
            registry = app.extensions.get("workflows")
            if registry is None or registry.get("council-cat") is None:
                app.extensions["workflows"] = stub_registry()
            lead = factories.UserFactory(name="Morag Campbell")
            organisation = factories.OrganisationFactory(lead=lead)
            yield app, factories.ApplicationFactory(
                organisation=organisation, workflow="council-cat", state="decided"
            )
            db.session.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    with decided_case() as (app, application):
        letter = letter_figures(app, application, runs)
        packs = pack_figures(application, max(3, runs // 2))
    report(letter, packs, runs)


def report(letter: dict, packs: dict[int, tuple[float, int]], runs: int) -> None:
    from weasyprint.pdf import fonts

    base = letter["bare"]
    subsetter = "HarfBuzz" if fonts.harfbuzz_subset else "fontTools (apt libharfbuzz-subset0!)"
    print(f"medians of the process's CPU time over warm runs ({runs} per letter figure, taking "
          f"turns); font subsetting: {subsetter}")

    def line(label: str, seconds: float, note: str = "") -> None:
        print(f"{label:46} {seconds * 1000:8.1f} ms  {seconds / base:5.2f}x  {note}")

    line("bare one-paragraph page (baseline)", base,
         "(our renderer: fetcher, fonts, stylesheet, PDF/A-3a)")
    line("bare page, WeasyPrint's defaults", letter["bare, defaults"],
         "(new font configuration each time; for comparison)")
    line("decision notice, render", letter["letter"],
         f"({letter['pages']} page; fonts and stylesheet reused)")
    line("  of which HTML parse", letter["parse"])
    line("  of which style, boxes and layout", letter["layout"])
    line("  of which drawing and writing the PDF", letter["pdf"])
    line("decision notice, render, nothing reused", letter["unshared"],
         "(new FontConfiguration, stylesheet parsed: before the reuse)")
    line("decision notice, render as PDF/UA-1", letter["not archival"],
         f"(tagged, not PDF/A: archival costs {letter['letter'] / letter['not archival']:.2f}x)")
    line("decision notice, Jinja template to HTML", letter["jinja"])
    line("decision notice, issued", letter["issued"],
         "(context, Jinja, order; the job: render, store, row)")
    for size, (seconds, pages) in packs.items():
        line(f"legal pack of {size} documents", seconds,
             f"({pages} pages; {seconds / size * 1000:.1f} ms a document)")
    small, middle, large = PACK_SIZES
    first = (packs[middle][0] - packs[small][0]) / (middle - small)
    second = (packs[large][0] - packs[middle][0]) / (large - middle)
    growth = second / first if first > 0 else float("inf")
    ratio = letter["letter"] / base
    print("\ntargets")
    print(f"  stage letter render {ratio:.2f}x the bare page (target within {LETTER_TARGET:g}x): "
          f"{verdict(ratio <= LETTER_TARGET)}")
    print(f"  legal pack growth: each document added {middle}->{large} costs "
          f"{second * 1000:.1f} ms, {small}->{middle} {first * 1000:.1f} ms, {growth:.2f}x "
          f"(target linear: within {GROWTH_TARGET:g}x): {verdict(growth <= GROWTH_TARGET)}")


if __name__ == "__main__":
    main()
