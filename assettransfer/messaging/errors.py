class MessageError(Exception):
    """A message could not be written (a template's fault) or sent (a channel's)."""


class NotSent(MessageError):
    """A channel could not send a message. ``permanent``: the provider refused it (a fault in
    the message or the settings), so sending it again as it is will fail again; otherwise (a
    server down or slow, the network) a later try may succeed. Either way the job records the
    reason and is tried again with backoff."""

    def __init__(self, reason: str, *, permanent: bool):
        self.permanent = permanent
        advice = ("it will fail again until the message or the settings are corrected"
                  if permanent else "it will be tried again")
        super().__init__(f"{reason} ({advice})")
