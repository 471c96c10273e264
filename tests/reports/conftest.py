"""The year the report tests count by hand."""
import pytest

from assettransfer.services.report_periods import ReportingYear

from .events import case, deadline, event

YEAR = ReportingYear(2025)  # 1 April 2025 to 31 March 2026; BST until 26 Oct, from 29 Mar


@pytest.fixture
def scotland_year(app):
    """Hand count for 2025-26 (UK dates in brackets):

    received: R1 (1 Apr, BST), R7 (5 May), R5 (1 Oct, BST), R3 (31 Mar 2026, BST) = 4; not R2
    (31 Mar 2025, 23:59 BST) nor R4 (1 Apr 2026, 00:00 BST).
    agreed: R1 ownership (1 Oct), R2 lease (20 Nov), R7 lease (31 Dec, 23:59 GMT) = 3.
    refused: R6 (1 Apr) = 1; not R5 (1 Apr 2026).
    reviews: R8 confirmed, R12 modified, R6 substituted, R12 again with no outcome recorded.
    appeals: R10 allowed (s85); R8 dismissed (s88, decision dated 31 Mar 2026 though recorded
    2 April); R11 terms dismissed (s88); not R9 varied (decision dated 31 Mar 2025).
    time to decide: R1 174 days (5-6 months, within); R2 232 (6+, within the extended period);
    R6 295 (6+, late); R7 233 (6+, late): median 232.5, mean 233.5.
    """
    r1 = case(request_type="ownership")
    event(r1, "submit", "2025-03-31 23:30")
    deadline(r1, "decision", "2025-04-10", "2025-10-10")
    event(r1, "agree", "2025-09-30 23:30")

    r2 = case(request_type="lease")
    event(r2, "submit", "2025-03-31 22:59")
    deadline(r2, "decision", "2025-04-02", "2025-10-02", superseded_at="2025-09-01 10:00")
    deadline(r2, "decision", "2025-04-02", "2025-12-01")  # extended by agreement
    event(r2, "agree", "2025-11-20 10:00")

    r3 = case(request_type="other_rights")
    event(r3, "submit", "2026-03-31 22:30")
    r4 = case(request_type="ownership")
    event(r4, "submit", "2026-03-31 23:00")

    r5 = case(request_type="lease")
    event(r5, "submit", "2025-09-30 23:30")
    deadline(r5, "decision", "2025-10-05", "2026-04-05")
    event(r5, "refuse", "2026-03-31 23:30")

    r6 = case(request_type="ownership")
    event(r6, "submit", "2024-06-01 10:00")
    deadline(r6, "decision", "2024-06-10", "2024-12-10")
    event(r6, "refuse", "2025-04-01 10:00")
    event(r6, "review_agree", "2025-06-15 12:00", review_outcome="substituted")

    r7 = case(request_type="lease")
    event(r7, "submit", "2025-05-05 09:00")
    deadline(r7, "decision", "2025-05-12", "2025-11-12")
    event(r7, "agree", "2025-12-31 23:59")

    r8 = case(request_type="lease")
    event(r8, "agree", "2025-03-31 22:00")  # 23:00 BST on 31 March 2025: the year before
    event(r8, "review_refuse", "2025-04-20 09:00", review_outcome="confirmed")
    event(r8, "appeal_to_ministers", "2025-05-01 09:00", notice_date="2025-05-01")
    event(r8, "appeal_dismissed", "2026-04-02 09:00", decision_date="2026-03-31")

    r9 = case()
    event(r9, "appeal_decision_to_ministers", "2025-01-10 09:00")
    event(r9, "appeal_varied", "2025-04-02 09:00", decision_date="2025-03-31")
    r10 = case()
    event(r10, "appeal_decision_to_ministers", "2025-06-10 09:00")
    event(r10, "appeal_allowed", "2025-08-01 09:00", decision_date="2025-08-01")
    r11 = case()
    event(r11, "appeal_to_ministers", "2025-05-10 09:00")
    event(r11, "terms_appeal_dismissed", "2025-07-02 09:00", decision_date="2025-07-01")
    r12 = case()
    event(r12, "review_agree", "2025-07-10 09:00", review_outcome="modified")
    event(r12, "review_refuse", "2025-08-10 09:00")

    other = case(workflow="council-cat")  # another route's events never count
    event(other, "submit", "2025-06-01 09:00")
    event(other, "agree", "2025-07-01 09:00")
