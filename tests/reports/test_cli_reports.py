import csv
import io

import pytest
from pypdf import PdfReader


def test_annual_writes_the_pdf_and_csv(runner, scotland_year, tmp_path):
    out = tmp_path / "reports"
    result = runner.invoke(args=["reports", "annual", "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "no narrative" in result.output  # none written yet: said, not silently left out
    rows = list(csv.reader(io.StringIO(
        (out / "annual-report-scotland-2025-26.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["table", "row", "column", "value"]
    assert ["Asset transfer requests", "Received", "Requests", "4"] in rows
    assert ["Asset transfer requests", "Refused", "Requests", "1"] in rows
    assert ["Outcomes of the requests agreed", "Lease", "Requests", "2"] in rows
    assert ["Reviews decided (sections 86 and 87)", "Substituted", "Reviews", "1"] in rows
    pdf = PdfReader(out / "annual-report-scotland-2025-26.pdf")
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Annual report on asset transfer requests, 2025-26" in text
    assert "Requests by month and outcome" in text
    assert "30 June 2026" in text  # s95(1): published by 30 June after the year


def test_a_bad_year_is_refused_with_the_reason(runner, tmp_path):
    result = runner.invoke(args=["reports", "annual", "--year", "twenty", "--out",
                                 str(tmp_path)])
    assert result.exit_code == 1
    assert "Enter the year the reporting year begins" in result.output
    assert not list(tmp_path.iterdir())


class TestOtherNations:
    @pytest.fixture
    def config_overrides(self, request):
        return {"AUTHORITY_NATION": request.param}

    @pytest.mark.parametrize("config_overrides", ["england"], indirect=True)
    def test_england_gets_the_community_right_to_bid_summary(self, runner, tmp_path):
        result = runner.invoke(args=["reports", "annual", "--year", "2025", "--out",
                                     str(tmp_path)])
        assert result.exit_code == 0, result.output
        rows = list(csv.reader(io.StringIO(
            (tmp_path / "annual-report-england-2025-26.csv").read_text(encoding="utf-8"))))
        assert ["Nominations, listings and reviews", "Nominations received", "Number",
                "0"] in rows
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(
            tmp_path / "annual-report-england-2025-26.pdf").pages).split())
        assert "against the eight weeks" in text and "section 95(1)" not in text

    @pytest.mark.parametrize("config_overrides", ["wales"], indirect=True)
    def test_wales_has_no_annual_report(self, runner, tmp_path):
        result = runner.invoke(args=["reports", "annual", "--year", "2025", "--out",
                                     str(tmp_path)])
        assert result.exit_code == 1
        assert "There is no annual report on asset transfer for wales" in result.output
