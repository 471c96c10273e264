"""The one transaction of each entry point: a web request, an API call, a CLI command (or one
case of a command that works case by case).

Services flush and never commit. The entry point wraps its work in ``transaction()``, which
commits once when the work succeeded and rolls everything back when it raised or was doomed, so a
change of state, its audit event, its deadlines and its documents land together or not at all.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from .errors import Conflict

_DOOMED = "assettransfer.doomed"
CONCURRENT_CHANGE = (
    "Someone else changed this at the same time, so nothing was saved. Reload and try again."
)
log = logging.getLogger(__name__)


def doom() -> None:
    """Undo the work so far and make the enclosing ``transaction()`` end without committing:
    for an entry point that has caught a refusal and answers with it."""
    db.session.rollback()
    db.session.info[_DOOMED] = True


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block's service calls flushed, or roll it all back if the block raised
    or called ``doom()``. A write that loses a race at commit (a stale version, a unique value
    taken meanwhile) is rolled back and raised as ``Conflict``."""
    db.session.info.pop(_DOOMED, None)
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    if db.session.info.pop(_DOOMED, False):
        db.session.rollback()
        return
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError) as exc:
        db.session.rollback()
        log.warning("Commit refused as a concurrent change: %s", exc)
        raise Conflict(CONCURRENT_CHANGE) from None
