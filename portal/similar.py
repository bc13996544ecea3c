"""Find open public matters that look like the problem someone is typing, so they can endorse instead of repeat."""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from matters import search
from matters.models import Matter
from matters.selectors import matters_public
from matters.workflow import OPEN

MAX_TEXT = 2000  # characters of the typed text that are looked at
QUERY_TOKENS = 8  # tokens used to fetch candidates
MAX_CANDIDATES = 300  # most recent matters sharing a word that are looked at
THRESHOLD = 0.25  # weighted Dice score below which a matter is not shown

# Words that say nothing about which problem it is: how residents open a report, contact details, English filler.
_STOP_WORDS = """
    居民 群众 村民 业主 反映 反应 希望 要求 建议 问题 情况 存在 现在 目前 一直 已经 没有 不能 不是 可以 能够 需要
    我们 你们 他们 大家 自己 这个 那个 这里 那里 这些 那些 什么 怎么 如何 为什么 因为 所以 但是 而且 并且 或者 以及
    还是 就是 非常 特别 比较 有些 一些 一个 有关 相关 进行 尽快 及时 解决 处理 帮助 麻烦 谢谢 请问 你好 您好 附近
    联系 电话 手机 号码 身份 身份证 姓名 本人
    the and for with that this there are was were has have not but you your our from into about please near very
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_PUNCT_OR_SPACE = re.compile(r"^[\W_]+$")
_DIGITS = re.compile(r"^[\d.,:/-]+$")

_lock = threading.Lock()
_tokenizer: Any = None


def _jieba() -> Any:
    """Load jieba and its dictionary once per process, quietly (it logs to stderr at DEBUG by default)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _tokenizer = jieba
    return _tokenizer


def tokens(text: str) -> set[str]:
    """The meaningful words of `text`: no stop words, punctuation, single characters or numbers."""
    text = (text or "")[:MAX_TEXT]
    if not text.strip():
        return set()
    words = set()
    for raw in _jieba().cut_for_search(text):
        word = raw.strip().lower()
        if len(word) < 2 or word in STOP_WORDS or _PUNCT_OR_SPACE.match(word) or _DIGITS.match(word):
            continue
        words.add(word)
    return words


def _weight(words: set[str]) -> int:
    # Longer words are more specific: "赵罗路" says more than "道路".
    return sum(len(w) for w in words)


def score(query: set[str], candidate: set[str]) -> float:
    """Weighted Dice coefficient of two token sets, 0 (nothing shared) to 1 (the same words)."""
    total = _weight(query) + _weight(candidate)
    return 2 * _weight(query & candidate) / total if total else 0.0


def similar_matters(text: str, *, limit: int = 5) -> list[Matter]:
    """Open public matters whose problem shares enough words with `text`, best first."""
    query = tokens(text)
    if not query or limit <= 0:
        return []
    # The longest tokens are the most telling; sorted for a stable query.
    telling = sorted(query, key=lambda w: (-len(w), w))[:QUERY_TOKENS]
    # The newest matters sharing any telling word, from the full-text index (it stops at the limit however
    # many match); the open public ones among them are scored.
    recent = search.recent_ids(" ".join(telling), limit=MAX_CANDIDATES, any_term=True)
    candidates = (
        matters_public()
        .filter(pk__in=recent, status__in=OPEN)
        .select_related("category")
        .only("id", "code", "problem", "status", "endorsement_count", "reported_at", "category__name")
    )
    scored = [(score(query, tokens(m.problem)), m) for m in candidates]
    ranked = sorted((pair for pair in scored if pair[0] >= THRESHOLD), key=lambda pair: (-pair[0], -pair[1].pk))
    return [m for _score, m in ranked[:limit]]
