"""What anyone may see of an asset and of an application: decided here, field by field, once.

The public pages, the API for anyone but council staff, and the letters the council sends out
(to applicants, owners, occupiers and other groups; notices to the public) all read an asset
through :func:`public_asset` (templates: the ``public`` filter), so a field is shown outside the
council only if it is listed here. A new column is neither until it is listed: the tests check
that every column of ``Asset`` is in exactly one of the lists below.
"""

# Shown to everyone: what the register says about the land or building.
PUBLIC_ASSET_FIELDS = (
    "name", "asset_type", "status", "description", "address", "postcode", "uprn",
    "title_number", "area_m2", "current_use", "condition", "annual_running_cost",
    # Where it is: the list of assets of community value and planning.data.gov.uk publish it.
    "latitude", "longitude", "boundary",
)
# Not facts about the asset, but what identifies the record and when it changed.
RECORD_FIELDS = ("id", "created_at", "updated_at")
# Seen by council staff only, with the reason.
COUNCIL_ONLY_ASSET_FIELDS = {
    # The council's own valuation is its position when it negotiates a price or rent, with
    # the applicant as much as with anyone: commercially confidential (FOIA s43, EIR 12(5)(e)).
    "estimated_market_value": "the council's valuation, its position in negotiating",
}
# Of an application, what a public register of requests and decisions may show: which asset,
# by which route, how far it has gone; not the group's answers, documents or the council's notes.
PUBLIC_APPLICATION_FIELDS = ("reference", "workflow", "state", "asset_id", "submitted_at")


class _PublicView:
    """A row as anyone may see it: reading a field not listed raises ``AttributeError`` (a
    template then shows nothing, and a letter, whose templates are strict, fails to render)."""

    __slots__ = ("_row", "_fields")

    def __init__(self, row, fields: tuple[str, ...]):
        object.__setattr__(self, "_row", row)
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, name):
        if name in self._fields:
            return getattr(self._row, name)
        raise AttributeError(f"{name!r} is not public")


def public_asset(asset) -> _PublicView:
    return _PublicView(asset, RECORD_FIELDS + PUBLIC_ASSET_FIELDS)


def public_application(application) -> _PublicView:
    return _PublicView(application, ("id", *PUBLIC_APPLICATION_FIELDS))


def asset_fields_for(user) -> tuple[str, ...]:
    """The fields of an asset ``user`` (None: anonymous) may see: council staff see them all."""
    if user is not None and user.is_council:
        return RECORD_FIELDS + PUBLIC_ASSET_FIELDS + tuple(COUNCIL_ONLY_ASSET_FIELDS)
    return RECORD_FIELDS + PUBLIC_ASSET_FIELDS
