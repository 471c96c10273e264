import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, enum_column, utcnow


class AssetType(enum.StrEnum):
    PARK = "park"
    LIBRARY = "library"
    COMMUNITY_CENTRE = "community_centre"
    SPORTS_GROUND = "sports_ground"
    ALLOTMENTS = "allotments"
    PUBLIC_TOILETS = "public_toilets"
    MUSEUM = "museum"
    PUB = "pub"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class AssetStatus(enum.StrEnum):
    AVAILABLE = "available"
    UNDER_APPLICATION = "under_application"
    TRANSFERRED = "transferred"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Asset(db.Model):
    """An entry in the authority's register of land and buildings."""

    __tablename__ = "assets"
    __table_args__ = (
        sa.CheckConstraint("area_m2 IS NULL OR area_m2 >= 0", name="area_not_negative"),
        sa.CheckConstraint(
            "annual_running_cost IS NULL OR annual_running_cost >= 0", name="cost_not_negative"
        ),
        sa.CheckConstraint(
            "estimated_market_value IS NULL OR estimated_market_value >= 0",
            name="value_not_negative",
        ),
        # A point is both coordinates or neither (services/geography.py checks the rest).
        sa.CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="point_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    asset_type: Mapped[AssetType] = mapped_column(enum_column(AssetType, "asset_type"), index=True)
    address: Mapped[str] = mapped_column(sa.Text)
    postcode: Mapped[str] = mapped_column(sa.String(10), index=True)
    # The electoral ward it is in, by name as the council writes it (residents look by ward).
    ward: Mapped[str | None] = mapped_column(sa.String(100))
    uprn: Mapped[str | None] = mapped_column(sa.String(12))
    title_number: Mapped[str | None] = mapped_column(sa.String(20))
    area_m2: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    current_use: Mapped[str] = mapped_column(sa.Text, default="")
    condition: Mapped[str] = mapped_column(sa.Text, default="")
    annual_running_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    estimated_market_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    status: Mapped[AssetStatus] = mapped_column(
        enum_column(AssetStatus, "asset_status"), default=AssetStatus.AVAILABLE, index=True
    )
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Where it is, in WGS84 degrees (6 places: about 0.1 m), and its boundary as a GeoJSON
    # Polygon or MultiPolygon geometry in WGS84 (RFC 7946), as services/geography.py checks it.
    latitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    boundary: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
