import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, enum_column, utcnow


class LegalForm(enum.StrEnum):
    UNINCORPORATED_ASSOCIATION = "unincorporated_association"
    CIO = "cio"
    SCIO = "scio"
    COMPANY_LIMITED_BY_GUARANTEE = "company_limited_by_guarantee"
    CIC = "cic"
    BENCOM = "bencom"
    PARISH_COUNCIL = "parish_council"
    COMMUNITY_COUNCIL = "community_council"
    OTHER = "other"

    @property
    def label(self) -> str:
        return LEGAL_FORM_LABELS[self]


LEGAL_FORM_LABELS = {
    LegalForm.UNINCORPORATED_ASSOCIATION: "Unincorporated association",
    LegalForm.CIO: "Charitable incorporated organisation (CIO)",
    LegalForm.SCIO: "Scottish charitable incorporated organisation (SCIO)",
    LegalForm.COMPANY_LIMITED_BY_GUARANTEE: "Company limited by guarantee",
    LegalForm.CIC: "Community interest company (CIC)",
    LegalForm.BENCOM: "Community benefit society (BenCom)",
    LegalForm.PARISH_COUNCIL: "Parish or town council",
    LegalForm.COMMUNITY_COUNCIL: "Community council",
    LegalForm.OTHER: "Other",
}

# The s19 "community-controlled body" tests of the Community Empowerment (Scotland) Act 2015,
# kept as data: attribute name -> the question put to the group.
COMMUNITY_CONTROL_QUESTIONS = {
    "community_defined": "Does your written constitution define the community the body serves?",
    "majority_from_community": "Are the majority of members drawn from that community?",
    "members_control": "Do those members have control of the body?",
    "open_membership": "Is membership open to anyone in that community?",
    "community_benefit_aims": "Do the body's aims include benefit to that community?",
    "surplus_for_community": "Is any surplus applied for the benefit of that community?",
}


class Organisation(db.Model):
    """A community body that makes requests."""

    __tablename__ = "organisations"
    __table_args__ = (
        sa.CheckConstraint("member_count >= 0", name="member_count_not_negative"),
        sa.CheckConstraint("local_voter_member_count >= 0", name="voters_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    legal_form: Mapped[LegalForm] = mapped_column(enum_column(LegalForm, "legal_form"))
    charity_number: Mapped[str | None] = mapped_column(sa.String(20))
    company_number: Mapped[str | None] = mapped_column(sa.String(20))
    address: Mapped[str] = mapped_column(sa.Text)
    postcode: Mapped[str] = mapped_column(sa.String(10))
    member_count: Mapped[int] = mapped_column(default=0)
    local_voter_member_count: Mapped[int] = mapped_column(default=0)
    community_definition: Mapped[str] = mapped_column(sa.Text, default="")
    community_defined: Mapped[bool | None]
    majority_from_community: Mapped[bool | None]
    members_control: Mapped[bool | None]
    open_membership: Mapped[bool | None]
    community_benefit_aims: Mapped[bool | None]
    surplus_for_community: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def community_controlled(self) -> dict[str, bool | None]:
        return {name: getattr(self, name) for name in COMMUNITY_CONTROL_QUESTIONS}

    @property
    def is_community_controlled(self) -> bool:
        return all(self.community_controlled.values())

    @property
    def is_incorporated(self) -> bool:
        return self.legal_form not in (LegalForm.UNINCORPORATED_ASSOCIATION, LegalForm.OTHER)

    @property
    def lead_contact(self):
        return next((m.user for m in self.memberships if m.is_lead_contact), None)

    def has_member(self, user) -> bool:
        return any(m.user_id == user.id for m in self.memberships)


class Membership(db.Model):
    __tablename__ = "memberships"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    is_lead_contact: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped["User"] = relationship(back_populates="memberships")  # noqa: F821
