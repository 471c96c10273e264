"""The field types of application forms and action data, and how raw input becomes a value.

Values are kept JSON-native (dates as ISO strings, money as a two-decimal string) so that answers
and audit payloads hash the same on every database; ``typed`` turns them back into Python values.
"""
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email

from ..wording import long_date, money

FIELD_TYPES = (
    "text", "long_text", "number", "money", "date", "choice", "yes_no", "email", "postcode",
    "password",
)
TEXT_LIMITS = {"text": 500, "long_text": 20000}
# Within every database column that holds them (Numeric(12, 2), 32-bit integers).
NUMBER_MAX = Decimal(1000000000)
MONEY_MAX = Decimal("9999999999.99")
# NUL and lone surrogates cannot be stored as text (PostgreSQL refuses NUL; UTF-8 surrogates).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The shape of a UK postcode (BS 7666), letters in either case, space optional.
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


class FieldValueError(ValueError):
    """The message says what is wrong in words a user understands."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    required: bool = False
    hint: str = ""
    options: tuple[Option, ...] = field(default_factory=tuple)
    internal: bool = False  # action data shown to council staff only, never to the group

    def clean(self, raw):
        """The JSON-native value for ``raw``, ``None`` when empty; raises FieldValueError."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise FieldValueError(f"Enter {self._what}")
            return None
        return getattr(self, f"_clean_{self.type}")(raw)

    @property
    def secret(self) -> bool:
        """Checked, then forgotten: never kept in answers or the audit trail."""
        return self.type == "password"

    def typed(self, value):
        """The Python value of a cleaned value (dates as ``date``, money as ``Decimal``)."""
        if value is None:
            return None
        if self.type == "date":
            return date.fromisoformat(value)
        if self.type == "money":
            return Decimal(value)
        return value

    def in_words(self, value) -> str | None:
        """A stored value as a person reads it (option labels, Yes/No, pounds, dates in words);
        None when there is none. Pages show answers, action data and profiles through this."""
        if value is None or value == "":
            return None
        if self.type == "yes_no":
            return "Yes" if value else "No"
        if self.type == "choice":
            return next((o.label for o in self.options if o.value == value), str(value))
        if self.type == "money":
            return money(value)
        if self.type == "date":
            return long_date(value)
        return str(value)

    @property
    def _what(self) -> str:
        label = self.label.rstrip("?. ")
        return label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label

    def _text(self, raw, limit):
        if not isinstance(raw, str):
            raise FieldValueError(f"{self.label} must be text")
        if UNSTORABLE.search(raw):
            raise FieldValueError(f"{self.label} contains characters that cannot be stored")
        value = raw.strip()
        if len(value) > limit:
            raise FieldValueError(f"{self.label} must be {limit:,} characters or fewer")
        return value

    def _clean_text(self, raw):
        return self._text(raw, TEXT_LIMITS["text"])

    def _clean_long_text(self, raw):
        return self._text(raw, TEXT_LIMITS["long_text"])

    def _clean_password(self, raw):
        if not isinstance(raw, str) or len(raw) > 1000:
            raise FieldValueError(f"{self.label} must be text")
        return raw

    def _clean_number(self, raw):
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise FieldValueError(f"{self.label} must be a number")
        try:
            number = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            raise FieldValueError(f"{self.label} must be a number") from None
        if not number.is_finite() or number < 0:
            raise FieldValueError(f"{self.label} must be 0 or more")
        if number > NUMBER_MAX:
            raise FieldValueError(f"{self.label} must be {NUMBER_MAX:,} or less")
        return int(number) if number == number.to_integral_value() else float(number)

    def _clean_money(self, raw):
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise FieldValueError(f"{self.label} must be an amount in pounds, like 1500 or 1500.50")
        text = str(raw).strip().lstrip("£").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise FieldValueError(
                f"{self.label} must be an amount in pounds, like 1500 or 1500.50"
            ) from None
        if not amount.is_finite() or amount < 0 or amount > MONEY_MAX:
            raise FieldValueError(f"{self.label} must be between £0 and £{MONEY_MAX:,}")
        if amount != amount.quantize(Decimal("0.01")):
            raise FieldValueError(f"{self.label} must not have more than 2 decimal places (pence)")
        return str(amount.quantize(Decimal("0.01")))

    def _clean_date(self, raw):
        if isinstance(raw, date):
            return raw.isoformat()
        try:
            return date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise FieldValueError(f"{self.label} must be a real date, like 2027-03-31") from None

    def _clean_choice(self, raw):
        allowed = [o.value for o in self.options]
        if raw not in allowed:
            raise FieldValueError(f"Select {self._what}: one of {', '.join(allowed)}")
        return raw

    def _clean_yes_no(self, raw):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("yes", "no", "true", "false"):
            return raw.lower() in ("yes", "true")
        raise FieldValueError(f"Select yes or no for {self._what}")

    def _clean_email(self, raw):
        try:
            return validate_email(str(raw).strip(), check_deliverability=False).normalized
        except EmailNotValidError:
            raise FieldValueError(
                f"{self.label} must be an email address, like name@example.org"
            ) from None

    def _clean_postcode(self, raw):
        match = POSTCODE.match(str(raw).strip().upper())
        if not match:
            raise FieldValueError(f"{self.label} must be a full UK postcode, like EH1 1YZ")
        return f"{match[1]} {match[2]}"
