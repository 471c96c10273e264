"""Messages to people: written from a template per kind, sent by a channel after the commit.

The services call ``compose`` (inside the transaction, so what a message says is fixed with what
it tells of); the outbox's ``send_message`` job (``JOB_HANDLERS``) sends each ``Message`` row by
its channel and records the provider's id. See ``delivery.py`` and ``channels.py``.
"""

from .compose import compose
from .delivery import GIVE_UP_HANDLERS, JOB_HANDLERS, SEND_MESSAGE

__all__ = ["GIVE_UP_HANDLERS", "JOB_HANDLERS", "SEND_MESSAGE", "compose"]
