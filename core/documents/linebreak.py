"""Chinese line breaking (禁则, kinsoku): where a line of text may end, for writers that break lines themselves.

A line never begins with a closing mark (。，、；：？！）》」 …) and never ends with an opening one (（《「 …): the
character before the break moves down with the mark instead. A Latin word or a number is not cut in two unless
it is longer than half a line. Widths come from a `measure` function (a character's width in the writer's unit).
"""

from __future__ import annotations

from collections.abc import Callable

# GB/T 15834 and the W3C's Chinese layout requirements (clreq): marks that may not start a line.
NO_LINE_START = frozenset("。，、；：？！）》」』】〕〉〗”’…‥·—～%‰℃.,;:?!)]}")
# Opening marks that may not end a line.
NO_LINE_END = frozenset("（《「『【〔〈〖“‘([{")


def _is_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "-_./@")


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """The text as lines no wider than `width` (a single character wider than the width stands alone)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_paragraph(paragraph, width, measure))
    return lines


def _paragraph(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    if not text:
        return [""]
    sizes: dict[str, float] = {}
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for char in text:
        size = sizes.setdefault(char, measure(char))
        if not current or used + size <= width:
            current.append(char)
            used += size
            continue
        current, carry = _move_back(current, char)
        lines.append("".join(current))
        current = [*carry, char]
        used = sum(sizes[c] for c in current)
    lines.append("".join(current))
    return lines


def _move_back(line: list[str], following: str) -> tuple[list[str], list[str]]:
    """Split off the end of `line` that must go down with `following`: (what stays, what moves)."""
    carry: list[str] = []
    kept = list(line)

    def must_move() -> bool:
        first = carry[0] if carry else following
        return first in NO_LINE_START or kept[-1] in NO_LINE_END

    while len(kept) > 1 and must_move():
        carry.insert(0, kept.pop())
    # A Latin word or number stays whole when it is short enough to move to the next line.
    word: list[str] = []
    rest = list(kept)
    first = carry[0] if carry else following
    if _is_word_char(first):
        while len(rest) > 1 and _is_word_char(rest[-1]):
            word.insert(0, rest.pop())
        if word and len(word) <= len(kept) // 2 and rest[-1] not in NO_LINE_END:
            return rest, word + carry
    return kept, carry
