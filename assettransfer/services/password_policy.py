"""What a new password must be, checked offline wherever one is chosen: signing up, changing a
password, an admin making an account, ``flask users create``.

A password must be 12 to 256 characters; must not be on the shipped list of common and leaked
passwords (``data/common-passwords.txt.gz``, see ``data/README.md``), nor be one of them with
digits, spaces or symbols added before or after, as guessing tools try; must use at least 5
different characters (``aaaaaaaaaaaa``, ``abcabcabcabc``); must not be a run of the alphabet,
the digits or a keyboard's rows (``123456789012``, ``qwertyuiopas``), which the list misses at this
length; and must not contain its owner's name or the part of their e-mail address before the @.
Each refusal says which rule it broke.
"""

import gzip
import re
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 copes with more; this bounds the work an attacker can ask for
MIN_DIFFERENT_CHARACTERS = 5
# Shorter parts of a name or address ("Jo", "Ann") occur inside too many good passwords.
MIN_PERSONAL_PART = 4
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"

TOO_SHORT = f"Password must be {MIN_LENGTH} characters or more"
TOO_LONG = f"Password must be {MAX_LENGTH} characters or fewer"
TOO_COMMON = (
    "Password is too easy to guess: it is on a list of common and leaked passwords that "
    "attackers try first, or is one of them with numbers or symbols added"
)
TOO_REPETITIVE = f"Password must use at least {MIN_DIFFERENT_CHARACTERS} different characters"
TOO_PREDICTABLE = (
    "Password must not be letters, numbers or keyboard keys in order, like abcdefghijkl, "
    "123456789012 or qwertyuiopas"
)
TOO_PERSONAL = "Password must not contain the name, or the part of the email address before the @"

_PADDING = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_RUNS = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")
# Pairs of characters next to each other in a run, either way round.
_NEIGHBOURS = {pair for run in _RUNS for pair in (*map("".join, zip(run, run[1:])),
                                                   *map("".join, zip(run[1:], run)))}


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _letters_and_digits(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _personal_parts(email: str, name: str) -> set[str]:
    """The name and the e-mail's local part, whole and word by word, as letters and digits."""
    local_part = (email or "").strip().partition("@")[0]
    texts = [local_part, *re.split(r"[\W_]+", local_part), name or "", *(name or "").split()]
    return {part for part in map(_letters_and_digits, texts) if len(part) >= MIN_PERSONAL_PART}


def _is_run(text: str) -> bool:
    return len(text) > 1 and all(text[i:i + 2] in _NEIGHBOURS for i in range(len(text) - 1))


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why ``password`` may not be chosen by the person with this e-mail and name, or None."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    lowered = password.casefold().strip()
    if {lowered, _PADDING.sub("", lowered)} & common_passwords():
        return TOO_COMMON
    if len(set(password)) < MIN_DIFFERENT_CHARACTERS:
        return TOO_REPETITIVE
    flattened = _letters_and_digits(password)
    if _is_run(flattened):
        return TOO_PREDICTABLE
    if any(part in flattened for part in _personal_parts(email, name)):
        return TOO_PERSONAL
    return None
