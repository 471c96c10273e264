"""What the authority did in a reporting year to promote and support asset transfer requests:
the narrative part of the annual report (s95(2)(f) of the Community Empowerment (Scotland) Act
2015), written by an administrator."""
from sqlalchemy import select

from ..extensions import db
from ..models import AnnualReportNarrative, Role, User
from ..models.types import utcnow
from . import account_audit
from .errors import FieldError, NotAllowed, ValidationFailed
from .report_periods import ReportingYear

MAX_LENGTH = 20_000


def require_admin(user: User) -> None:
    if user.role is not Role.ADMIN:
        raise NotAllowed("Only an administrator can prepare the annual report")


def narrative_for(year: ReportingYear) -> AnnualReportNarrative | None:
    return db.session.scalar(select(AnnualReportNarrative)
                             .where(AnnualReportNarrative.year == year.start_year))


def save_narrative(user: User, year: ReportingYear, text: str) -> AnnualReportNarrative:
    """Add or replace the year's narrative, recorded in the account trail (with its length, not
    its text: the text is kept on the row)."""
    require_admin(user)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("The narrative needs correcting", [FieldError(
            "narrative", "Enter what the council did to promote and support requests")])
    if len(text) > MAX_LENGTH:
        raise ValidationFailed("The narrative needs correcting", [FieldError(
            "narrative", f"The narrative must be {MAX_LENGTH:,} characters or fewer")])
    row = narrative_for(year)
    if row is None:
        row = AnnualReportNarrative(year=year.start_year)
        db.session.add(row)
    row.text, row.updated_at, row.updated_by_id = text, utcnow(), user.id
    account_audit.record("annual_report_narrative_saved", None, by_user_id=user.id,
                         year=year.start_year, characters=len(text))
    db.session.flush()
    return row
