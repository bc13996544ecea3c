"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character computed from the first 17.

The alphabet has 31 characters: the digits 0-9 and the capital letters without I, O, Z, S and V; each stands
for its position (0-30). Position i (1-17) carries the weight 3^(i-1) mod 31; the check character is the one
standing for 31 - (Σ value × weight mod 31), where 31 reads as 0.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character of the first 17 characters (which must be in the alphabet)."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    return code.strip().upper()


def validate_credit_code(value: str) -> None:
    """Refuse a code of the wrong length, with a character outside the alphabet, or with a wrong check character."""
    code = normalise(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            params={"count": len(code)},
            code="credit_code_length",
        )
    wrong = [char for char in code if char not in ALPHABET]
    if wrong:
        raise ValidationError(
            _("“%(char)s” cannot appear in a unified social credit code (no I, O, Z, S or V)."),
            params={"char": wrong[0]},
            code="credit_code_character",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong: check the code."),
            code="credit_code_check",
        )
