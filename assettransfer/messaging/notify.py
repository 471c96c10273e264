"""E-mail and printed letters by GOV.UK Notify, through its official client.

Each message kind has its template in the repo (``templates/messages/<kind>.txt``), which writes
the subject and the body; Notify's template for it (``NOTIFY_TEMPLATE_IDS``) places them, as the
personalisation fields ``subject`` and ``body``. An e-mail template's content is then
``((body))`` and its subject ``((subject))``; a letter template's the same. A letter that
carries a PDF is sent as that PDF (a precompiled letter: its layout must leave Notify's address
block clear); one without is sent through the letter template, to the address lines of the
message (Notify's rules: 3 to 7 lines, the recipient's name first, a UK postcode last).

Notify's reference on each notification is the message's key, to match its reports to ours.
"""

import io
import re
import threading

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.utils import prepare_upload

from ..models import Channel, Message
from .errors import NotSent

NOTIFY_URL = "https://api.notifications.service.gov.uk"
DEFAULT = "default"
LETTER_PREFIX = "letter:"  # NOTIFY_TEMPLATE_IDS keys of letter templates: letter:<kind>
MIN_ADDRESS_LINES, MAX_ADDRESS_LINES = 3, 7
UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|BFPO ?[0-9]{1,4})$",
                         re.IGNORECASE)
TIMEOUT_SECONDS = 30
RATE_LIMITED = 429
FILE_FIELD = "link_to_file"  # the e-mail template's placeholder for a letter's PDF
PDF_NAME = "letter.pdf"


class NotifyChannel:
    name = "notify"

    def __init__(self, settings):
        self.api_key = settings["NOTIFY_API_KEY"]
        self.base_url = settings.get("NOTIFY_BASE_URL") or NOTIFY_URL
        self.template_ids = settings.get("NOTIFY_TEMPLATE_IDS") or {}
        self._local = threading.local()  # the client's requests session is not thread-safe

    @property
    def client(self) -> NotificationsAPIClient:
        if not hasattr(self._local, "client"):
            self._local.client = NotificationsAPIClient(self.api_key, base_url=self.base_url,
                                                        timeout=TIMEOUT_SECONDS)
        return self._local.client

    def send(self, message: Message, attachment: bytes | None) -> str:
        what = "letter" if message.channel is Channel.LETTER else "e-mail"
        try:
            return self._post(message, attachment)["id"]
        except APIError as error:
            raise _not_sent(error, what) from error

    def _post(self, message: Message, attachment: bytes | None) -> dict:
        if message.channel is not Channel.LETTER:
            personalisation = self.content(message)
            if attachment:
                personalisation[FILE_FIELD] = _upload(attachment)
            return self.client.send_email_notification(
                message.to_address, self.template_id(message.kind, letter=False),
                personalisation=personalisation, reference=message.key)
        if attachment:
            return self.client.send_precompiled_letter_notification(
                reference=message.key, pdf_file=io.BytesIO(attachment))
        return self.client.send_letter_notification(
            self.template_id(message.kind, letter=True),
            self.content(message) | address_lines(message), reference=message.key)

    @staticmethod
    def content(message: Message) -> dict:
        return {"subject": message.subject, "body": message.body}

    def template_id(self, kind: str, *, letter: bool) -> str:
        prefix = LETTER_PREFIX if letter else ""
        keys = (f"{prefix}{kind}", f"{prefix}{DEFAULT}")
        for key in keys:
            if key in self.template_ids:
                return self.template_ids[key]
        raise NotSent(f"NOTIFY_TEMPLATE_IDS has no Notify template for {keys[0]!r} nor "
                      f"{keys[1]!r}", permanent=True)


def _upload(pdf: bytes) -> dict:
    """The letter as a file Notify keeps and links to from the e-mail (it sends no
    attachments), for the recipient to download after confirming their address."""
    try:
        return prepare_upload(io.BytesIO(pdf), filename=PDF_NAME,
                              confirm_email_before_download=True)
    except ValueError as error:  # larger than Notify takes
        raise NotSent(f"GOV.UK Notify cannot send the letter: {error}", permanent=True) from error


def address_lines(message: Message) -> dict:
    """Notify's ``address_line_1`` to ``_7``: the recipient's name, then the postal address."""
    lines = [message.to_name, *filter(None, map(str.strip, message.to_address.splitlines()))]
    if not MIN_ADDRESS_LINES <= len(lines) <= MAX_ADDRESS_LINES:
        raise NotSent(f"a letter to {message.to_name} cannot be posted by Notify: its address "
                      f"has {len(lines) - 1} lines and Notify needs {MIN_ADDRESS_LINES - 1} to "
                      f"{MAX_ADDRESS_LINES - 1} under the name", permanent=True)
    if not UK_POSTCODE.match(lines[-1]):
        raise NotSent(f"a letter to {message.to_name} cannot be posted by Notify: the last line "
                      f"of its address, {lines[-1]!r}, is not a UK postcode", permanent=True)
    return {f"address_line_{number}": line for number, line in enumerate(lines, start=1)}


def _not_sent(error: APIError, what: str) -> NotSent:
    """A refusal (4xx but too many requests) will recur; a server's fault (5xx) or the network's
    (the client reports no response as 503) may not."""
    if error.response is None:
        return NotSent(f"GOV.UK Notify could not be reached to send the {what}: "
                       f"{error.__cause__ or error.message}", permanent=False)
    status = error.status_code
    permanent = 400 <= status < 500 and status != RATE_LIMITED
    return NotSent(f"GOV.UK Notify refused the {what} ({status}): {_reasons(error.message)}",
                   permanent=permanent)


def _reasons(message) -> str:
    """Notify's errors are a list of {"error", "message"}."""
    if isinstance(message, list):
        return "; ".join(f"{item.get('error')}: {item.get('message')}"
                         if isinstance(item, dict) else str(item) for item in message)
    return str(message)
