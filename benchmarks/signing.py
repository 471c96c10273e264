"""What the council's seal (documents/seal.py) adds to issuing a document, measured in one run. A
script, not a test:

    . .venv/bin/activate && python benchmarks/signing.py [--runs 9]

For a letter (the one-page decision notice) and a legal pack binding 15 documents, each figure
is the median CPU time of warm runs (as benchmarks/documents.py measures, and for the same
reasons), the document's making and its sealing taking turns in each run:
- the letter: its render, and sealing the rendered bytes;
- the pack: building it (render, merge, store, row) as the job does with the seal taken out of
  the one place it is applied (``records.seal_pdf``), and sealing the bytes it built.
Sealing is timed on its own because a pack's build varies from run to run by more than the seal
costs: the difference of two such medians would be mostly noise.

Targets (printed with MET / NOT MET; the exit code is 0 either way): sealing makes a letter's
render at most 1.5x as long, and a 15-document pack's at most 1.2x. The seal is timestamped by
the app's own key (no SEAL_TSA_URL): an outside authority adds its network round trip, which CPU
time does not count.
"""

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assettransfer.documents import issue_documents, issue_legal_pack, records  # noqa: E402
from assettransfer.documents.context import build_context  # noqa: E402
from assettransfer.documents.letters import DocumentInfo, render_html, template_name  # noqa: E402
from assettransfer.documents.pdf import get_renderer  # noqa: E402
from assettransfer.documents.seal import get_seal, seal_pdf  # noqa: E402
from assettransfer.extensions import db  # noqa: E402
from benchmarks.documents import (  # noqa: E402  (after the path is set)
    PACK_KINDS,
    REFUSAL,
    decided_case,
    made,
    medians_in_turn,
    verdict,
)

LETTER_TARGET = 1.5
PACK_TARGET = 1.2
PACK_SIZE = 15


def letter_figures(app, application, runs: int) -> dict[str, float]:
    context = build_context(application, None, REFUSAL)
    info = DocumentInfo("decision_notice", "Decision notice", 1, context["issued_on"])
    html = render_html(app, template_name("council-cat", "decision_notice"),
                       {**context, "document": info})
    renderer = get_renderer(app)
    rendered = renderer.render(html).data
    return medians_in_turn({
        "unsealed": lambda: renderer.render(html),
        "seal": lambda: seal_pdf(app, rendered),
    }, runs)


def pack_figures(app, application, runs: int) -> dict[str, float]:
    issued = []
    while len(issued) < PACK_SIZE:
        for kind, data in PACK_KINDS:
            issued += made(issue_documents(application, [kind], None, data))
    superseded_at = datetime.now(UTC)
    for number, document in enumerate(issued):  # the pack binds the current ones: 15
        document.superseded_at = None if number < PACK_SIZE else superseded_at
    db.session.flush()
    built = {}

    def build():
        """The pack's job, with the seal taken out of the one place it is applied."""
        sealing, records.seal_pdf = records.seal_pdf, lambda app, data: built.setdefault(
            "data", data)
        try:
            return made([issue_legal_pack(application, None)])[0]
        finally:
            records.seal_pdf = sealing

    build()
    return medians_in_turn({"unsealed": build, "seal": lambda: seal_pdf(app, built["data"])},
                           runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    with decided_case() as (app, application):
        get_seal(app)  # made or loaded once, as in a running process
        letter = letter_figures(app, application, runs)
        pack = pack_figures(app, application, max(3, runs // 2))
    print(f"medians of the process's CPU time over warm runs ({runs} per letter figure, "
          f"{max(3, runs // 2)} per pack figure, taking turns)")
    for label, figures in (("decision notice (1 page)", letter),
                           (f"legal pack of {PACK_SIZE} documents", pack)):
        print(f"{label:34} {figures['unsealed'] * 1000:8.1f} ms unsealed, the seal "
              f"{figures['seal'] * 1000:6.1f} ms")
    ratio = (letter["unsealed"] + letter["seal"]) / letter["unsealed"]
    pack_ratio = (pack["unsealed"] + pack["seal"]) / pack["unsealed"]
    print("\ntargets")
    print(f"  sealed letter {ratio:.2f}x its render (target at most {LETTER_TARGET:g}x): "
          f"{verdict(ratio <= LETTER_TARGET)}")
    print(f"  sealed {PACK_SIZE}-document pack {pack_ratio:.2f}x its build (target at most "
          f"{PACK_TARGET:g}x): {verdict(pack_ratio <= PACK_TARGET)}")


if __name__ == "__main__":
    main()
