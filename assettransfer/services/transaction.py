"""The one transaction of each entry point: a web request, an API call, a CLI command (or one
case of a command that works case by case).

Services flush and never commit. The entry point wraps its work in ``transaction()``, which
commits once when the work succeeded and rolls everything back when it raised or was doomed, so a
change of state, its audit event, its deadlines and its documents land together or not at all.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from .errors import Conflict

_DOOMED = "assettransfer.doomed"
_KEPT = "assettransfer.kept_on_rollback"
CONCURRENT_CHANGE = (
    "Someone else changed this at the same time, so nothing was saved. Reload and try again."
)
log = logging.getLogger(__name__)


def doom() -> None:
    """Undo the work so far and make the enclosing ``transaction()`` end without committing:
    for an entry point that has caught a refusal and answers with it."""
    db.session.rollback()
    db.session.info[_DOOMED] = True


def keep_on_rollback(write: Callable[[], None]) -> None:
    """Have ``write`` done again, in a transaction of its own, if this one is rolled back: a
    record of a refusal (a failed sign-in) must outlive the refused request's work."""
    db.session.info.setdefault(_KEPT, []).append(write)


def _rolled_back() -> None:
    writes = db.session.info.pop(_KEPT, [])
    if not writes:
        return
    try:
        for write in writes:
            write()
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Could not keep a record after a rollback")


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block's service calls flushed, or roll it all back if the block raised
    or called ``doom()``. A write that loses a race at commit (a stale version, a unique value
    taken meanwhile) is rolled back and raised as ``Conflict``."""
    db.session.info.pop(_DOOMED, None)
    db.session.info.pop(_KEPT, None)
    try:
        yield
    except BaseException:
        db.session.rollback()
        _rolled_back()
        raise
    if db.session.info.pop(_DOOMED, False):
        db.session.rollback()
        _rolled_back()
        return
    try:
        db.session.commit()
        db.session.info.pop(_KEPT, None)
    except (StaleDataError, IntegrityError) as exc:
        db.session.rollback()
        _rolled_back()
        log.warning("Commit refused as a concurrent change: %s", exc)
        raise Conflict(CONCURRENT_CHANGE) from None
