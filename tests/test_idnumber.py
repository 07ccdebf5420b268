"""Resident ID numbers (GB 11643): check character, birth date, sex."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from casegrade.idnumber import check_character, parse_id_number
from casegrade.vocab import Sex


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        ("11010519491231002X", date(1949, 12, 31), Sex.FEMALE),
        ("11010519491231002x", date(1949, 12, 31), Sex.FEMALE),  # lower-case x accepted
        ("330102199003071230", date(1990, 3, 7), Sex.MALE),
        ("510101200002290047", date(2000, 2, 29), Sex.FEMALE),
        ("３３０１０２１９９００３０７１２３０", date(1990, 3, 7), Sex.MALE),  # full-width digits
    ],
)
def test_valid_numbers(number, born, sex):
    normalized = unicodedata.normalize("NFKC", number).upper()
    assert parse_id_number(number) == (normalized, born, sex)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        (
            "330102199003071231",
            "the last character does not check; re-type the number from the ID card",
        ),
        ("33010219900307123", "17 digits and a check character"),
        ("3301021990030712301", "17 digits and a check character"),
        ("33010219900307123A", "17 digits and a check character"),
        # 2001-02-29 does not exist; the check character is right for these digits
        ("51010120010229004" + check_character("51010120010229004"), "not a valid birth date"),
    ],
)
def test_invalid_numbers(number, why):
    with pytest.raises(ValueError, match=why.replace("(", r"\(").replace(")", r"\)")):
        parse_id_number(number)
