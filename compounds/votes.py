"""Owners' decisions by Article 278 of the Civil Code (2021), in exact arithmetic.

"业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。决定前款第六项至第八项
规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意。决定前款其他事项，应当经
参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。"

- participation: at least two-thirds of the area AND at least two-thirds of the owners take part ("以上" includes
  the number itself, art. 1259);
- items 6–8 (raising the repair fund, rebuilding, changing the use of common parts or running business on them):
  at least three-quarters of the PARTICIPATING area and of the PARTICIPATING owners agree;
- every other item (using the repair fund, item 5, included): more than half ("过半数", strictly more) of the
  participating area and of the participating owners.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from compounds.models.meetings import VoteSubject

SPECIAL = frozenset({VoteSubject.RAISE_REPAIR_FUND, VoteSubject.REBUILD, VoteSubject.COMMON_PARTS})


@dataclass(frozen=True)
class Outcome:
    quorum: bool  # enough area and enough owners took part
    agreed: bool  # enough of the participants agreed (by the subject's rule)
    threshold: Fraction  # 3/4 or 1/2 of the participants

    @property
    def passed(self) -> bool:
        return self.quorum and self.agreed


def _at_least(part: Decimal | int, whole: Decimal | int, share: Fraction) -> bool:
    return Fraction(part) * share.denominator >= Fraction(whole) * share.numerator


def _more_than(part: Decimal | int, whole: Decimal | int, share: Fraction) -> bool:
    return Fraction(part) * share.denominator > Fraction(whole) * share.numerator


def outcome(
    *,
    subject: str,
    total_area: Decimal,
    total_owners: int,
    voting_area: Decimal,
    voting_owners: int,
    agreeing_area: Decimal,
    agreeing_owners: int,
) -> Outcome:
    two_thirds = Fraction(2, 3)
    quorum = (
        total_area > 0
        and total_owners > 0
        and _at_least(voting_area, total_area, two_thirds)
        and _at_least(voting_owners, total_owners, two_thirds)
    )
    if subject in SPECIAL:
        share = Fraction(3, 4)
        agreed = (
            voting_owners > 0
            and _at_least(agreeing_area, voting_area, share)
            and _at_least(agreeing_owners, voting_owners, share)
        )
    else:
        share = Fraction(1, 2)
        agreed = _more_than(agreeing_area, voting_area, share) and _more_than(agreeing_owners, voting_owners, share)
    return Outcome(quorum=bool(quorum), agreed=bool(agreed), threshold=share)
