"""Electoral wards, by which residents look for assets and requests near them.

An asset's ward is the name the council enters (``services.assets``). Both registers filter by
ward with a list of the wards in use rather than a box to type in: a resident may not know how
the council spells a ward ("St Leonard's", "St Leonards"), and a list offers only wards that have
something to show. The same ward written in another case is one ward, wherever it is compared.
"""
from sqlalchemy import func, select

from ..extensions import db
from ..models import Asset
from .errors import FieldError

LIMIT = 100  # characters: room for a long ward name of several parts ("X, Y and Z")


def tidy(name: str | None) -> str | None:
    """A ward name with its spaces collapsed, as it is stored (None if there is none)."""
    return (" ".join(name.split()) or None) if name else None


def wards_in_use(*where) -> list[str]:
    """The wards of the assets matching ``where``, each once, in alphabetical order."""
    key = func.lower(Asset.ward)
    return list(db.session.scalars(
        select(func.min(Asset.ward)).where(Asset.ward.is_not(None), *where)
        .group_by(key).order_by(key)))


def in_ward(ward: str, choices: list[str], errors: list[FieldError]):
    """The condition for assets in ``ward``; an error if it is not one of ``choices``."""
    if ward.casefold() not in {choice.casefold() for choice in choices}:
        errors.append(FieldError("ward", "Choose a ward from the list"))
    return func.lower(Asset.ward) == func.lower(ward)
