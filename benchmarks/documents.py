"""How long documents take to render. A script, not a test:

    . .venv/bin/activate && python benchmarks/documents.py [--runs 7]

Prints, as medians of warm runs: a bare one-paragraph WeasyPrint page (the baseline), a one-page
decision notice (render only, and the whole issue_documents call with storage and row), and a
legal pack of 15 documents, each with its ratio to the baseline. Targets: a stage letter within
2x the baseline; a 15-document pack under 3 s. Uses its own temporary SQLite app, and the stub
workflow registry unless the real one defines council-cat.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assettransfer import create_app
from assettransfer.documents import issue_documents, issue_legal_pack
from assettransfer.documents.context import build_context
from assettransfer.documents.letters import DocumentInfo, render_html, template_name
from assettransfer.documents.pdf import get_renderer
from assettransfer.extensions import db
from tests import factories
from tests.documents.stubs import stub_registry

BARE = (
    '<html lang="en-GB"><head><title>Baseline</title></head><body><p>One paragraph of text, '
    "the least a letter could be.</p></body></html>"
)
REFUSAL = {
    "decision": "refused",
    "reasons": "The business plan does not show how the running costs would be met.",
}
PACK_KINDS = [  # 15 council-cat documents, as a long case might collect them
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


def median_seconds(action, runs: int) -> float:
    action()  # warm: templates compiled, fonts loaded
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_app(folder: Path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "benchmark",
            "AUTHORITY_NATION": "england",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "STORAGE_DIR": str(folder / "storage"),
            "WORKFLOWS": ["council-cat"],
        }
    )
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        with app.app_context():
            db.create_all()
            registry = app.extensions.get("workflows")
            if registry is None or registry.get("council-cat") is None:
                app.extensions["workflows"] = stub_registry()
            lead = factories.UserFactory(name="Morag Campbell")
            organisation = factories.OrganisationFactory(lead=lead)
            application = factories.ApplicationFactory(
                organisation=organisation, workflow="council-cat", state="decided"
            )
            renderer = get_renderer(app)

            context = build_context(application, None, REFUSAL)
            info = DocumentInfo("decision_notice", "Decision notice", 1, context["issued_on"])
            html = render_html(
                app, template_name("council-cat", "decision_notice"), {**context, "document": info}
            )
            pages = renderer.render(html).page_count

            baseline = median_seconds(lambda: renderer.render(BARE), runs)
            letter = median_seconds(lambda: renderer.render(html), runs)
            issue = median_seconds(
                lambda: issue_documents(application, ["decision_notice"], None, REFUSAL), runs
            )

            issued = [
                issue_documents(application, [kind], None, data)[0]
                for kind, data in PACK_KINDS + PACK_KINDS[:5]
            ]
            # A workflow has fewer kinds than 15 and a re-issue supersedes, so un-supersede the
            # five re-issued ones: the pack then binds 15 current documents (~20 pages).
            for document in issued:
                document.superseded_at = None
            db.session.flush()
            documents = len(issued)
            pack_times = []
            for _ in range(max(3, runs // 2)):
                start = time.perf_counter()
                pack = issue_legal_pack(application, None)
                pack_times.append(time.perf_counter() - start)
            pack_seconds = statistics.median(pack_times)
            db.session.rollback()

    from weasyprint.pdf import fonts

    subsetter = "HarfBuzz" if fonts.harfbuzz_subset else "fontTools (apt libharfbuzz-subset0!)"
    print(f"runs per figure: {runs} (median, warm); font subsetting: {subsetter}")
    print(f"bare one-paragraph page       {baseline * 1000:8.1f} ms   1.00x")
    print(
        f"decision notice, render only  {letter * 1000:8.1f} ms  {letter / baseline:5.2f}x "
        f"({pages} page{'s' if pages != 1 else ''}; target 2x)"
    )
    print(
        f"decision notice, issued       {issue * 1000:8.1f} ms  {issue / baseline:5.2f}x "
        "(context + render + store + row)"
    )
    print(
        f"legal pack of {documents} documents  {pack_seconds * 1000:8.1f} ms  "
        f"{pack_seconds / baseline:5.1f}x ({pack.page_count} pages; target < 3000 ms)"
    )


if __name__ == "__main__":
    main()
