"""Resident ID numbers (公民身份号码, GB 11643-1999): check character, birth date and sex."""

from __future__ import annotations

import unicodedata
from datetime import date

from casegrade.vocab import Sex

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"  # indexed by the weighted sum mod 11 (ISO 7064 MOD 11-2)


def check_character(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_id_number(text: str) -> tuple[str, date, Sex]:
    """Validate an 18-character ID number; return it (upper-case X), the birth date and the sex.

    The 17th digit is odd for men (GB 11643-1999 §4.2).

    Raises:
        ValueError: wrong length or characters, an impossible birth date, or a wrong check
            character; the message says which.
    """
    number = unicodedata.normalize("NFKC", text).strip().upper()  # full-width digits too
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise ValueError("an ID number has 17 digits and a check character (digit or X)")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise ValueError(  # the right character is not named: with the mask it would give it away
            "the last character does not check; re-type the number from the ID card"
        )
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError(f"digits 7-14 ({number[6:14]}) are not a valid birth date") from None
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return number, born, sex


def mask_id_number(number: str | None) -> str:
    """An ID number with all but two characters at each end hidden: 330102199003071230 ->
    33**************30. Printed beside the birth date, the region and the check digits of a
    longer mask would leave only a handful of possible numbers."""
    if not number:
        return ""
    return number[:2] + "*" * (len(number) - 4) + number[-2:]
