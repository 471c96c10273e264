"""How facts are written for people, in one place for web pages, letters and messages: dates,
money, numbers and text, as template filters too.

Dates are written the way GOV.UK style asks: "14 January 2027", with the weekday where a
reader must act by that day ("Thursday 14 January 2027"), and a moment as "3 March 2026 at
2:05pm". Month and day names are spelt here, not taken from the C locale, so a server's locale
can never change a legal notice. A moment's date is its date in the UK, where the councils are.

This module imports nothing of the application, so every layer may use it.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def as_date(value) -> date | None:
    """A ``date`` from a date, an aware datetime (taken in UK time) or an ISO string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UK_TIME)
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise TypeError(f"not a date: {value!r}")


def long_date(value) -> str:
    """14 January 2027"""
    day = as_date(value)
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def weekday_date(value) -> str:
    """Thursday 14 January 2027"""
    day = as_date(value)
    if day is None:
        return ""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


def uk_datetime(value: datetime | None, empty: str = "Never") -> str:
    """3 March 2026 at 2:05pm, in UK time (GMT or BST)."""
    if value is None:
        return empty
    local = value.astimezone(UK_TIME)
    suffix = "am" if local.hour < 12 else "pm"
    return f"{long_date(local)} at {local.hour % 12 or 12}:{local:%M}{suffix}"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def money(value) -> str:
    """£12,500.00 (a value that is not a number is shown as given)."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def number(value, places: int = 2) -> str:
    """Thousands separated, rounded to ``places``, with all-zero decimals dropped:
    12,500 or 12,500.50; ``number(72, 1)`` is "72", ``number(72.46, 1)`` is "72.5"."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    text = f"{amount:,.{places}f}"
    return text[: -(places + 1)] if places and text.endswith("." + "0" * places) else text


def lines(value) -> list[str]:
    """The non-empty lines of an address or other multi-line text."""
    if not value:
        return []
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def paragraphs(value) -> list[str]:
    """Text split at blank lines; a list is returned as its items (for reasons, comments)."""
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    blocks = str(value).replace("\r\n", "\n").split("\n\n")
    return [" ".join(lines(block)) for block in blocks if block.strip()]


def as_list(value) -> list:
    """A list from a list, a newline-separated string or a single value (for missing items)."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set)):
        return [item for item in value if item not in (None, "")]
    if isinstance(value, str):
        return lines(value)
    return [value]


def humanise(name) -> str:
    """``transfer_type`` -> "Transfer type"."""
    text = str(name).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


_MONEY_WORDS = ("price", "rent", "value", "cost", "premium", "amount", "fee", "discount")


def display_value(value, key: str = "") -> str:
    """A term or fact as text: money for prices and rents, dates in words, Yes/No."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (date, datetime)):
        return long_date(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(display_value(item, key) for item in value)
    numeric = isinstance(value, (int, float, Decimal)) or (
        isinstance(value, str) and _decimal(value) is not None
    )
    if numeric and any(word in key.lower() for word in _MONEY_WORDS):
        return money(value)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return long_date(value)
        except ValueError:
            return value
    return "" if value is None else str(value)


FILTERS = {
    "long_date": long_date,
    "weekday_date": weekday_date,
    "uk_datetime": uk_datetime,
    "money": money,
    "number": number,
    "lines": lines,
    "paragraphs": paragraphs,
    "as_list": as_list,
    "humanise": humanise,
    "display_value": display_value,
}


def register_filters(app) -> None:
    """Make the filters available to every template of ``app``: web pages and letters."""
    app.jinja_env.filters.update(FILTERS)
