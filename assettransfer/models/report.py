from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import User


class AnnualReportNarrative(db.Model):
    """What the authority did in one reporting year (beginning 1 April of ``year``) to promote
    and support asset transfer requests: the part of the s95 annual report (Community
    Empowerment (Scotland) Act 2015) the figures cannot give. One row a year, edited in place:
    each save is recorded in the account trail."""

    __tablename__ = "annual_report_narratives"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()
