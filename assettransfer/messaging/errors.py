class MessageError(Exception):
    """A message could not be written (a template's fault) or sent (a channel's)."""
