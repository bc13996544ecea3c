"""Near-duplicate text, Chinese-aware: normalised character shingles, Jaccard similarity, MinHash with LSH banding.

Chinese has no spaces between words, so a note is compared by its overlapping character trigrams after removing
punctuation, spaces, digits and symbols (NFKC first, so full-width and half-width forms are one). Pairs are not
compared all against all: each text's MinHash signature is cut into bands, and only texts sharing a band are compared
exactly — with 20 bands of 3 rows, a pair with a Jaccard of 0.6 shares one with probability above 0.99.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache

SHINGLE = 3
BANDS, ROWS = 20, 3
_PRIME = (1 << 61) - 1
_rng = random.Random(19)  # noqa: S311 — fixed seed: the same text has the same signature in every run
_PERMS = [(_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _i in range(BANDS * ROWS)]


def normalise(text: str) -> str:
    """Keep the letters of `text` (NFKC, lower case): no punctuation, spaces, digits or symbols."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] == "L")


def shingles(text: str, size: int = SHINGLE) -> frozenset[str]:
    """The overlapping character `size`-grams of the normalised text (the whole text when shorter)."""
    norm = normalise(text)
    if len(norm) <= size:
        return frozenset({norm}) if norm else frozenset()
    return frozenset(norm[i : i + size] for i in range(len(norm) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|A ∩ B| / |A ∪ B| (0 for two empty sets)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """|A ∩ B| / the smaller set: how much of the shorter text is in the longer."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@lru_cache(maxsize=200_000)
def _hashes(shingle: str) -> tuple[int, ...]:
    """The shingle under every permutation (kept: a language's trigrams repeat from note to note)."""
    x = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
    return tuple((a * x + b) % _PRIME for a, b in _PERMS)


def minhash(items: frozenset[str]) -> tuple[int, ...]:
    """The MinHash signature of a non-empty set of shingles: one minimum per permutation."""
    return tuple(map(min, zip(*(_hashes(s) for s in items), strict=True)))


def candidate_pairs(signatures: Iterable[tuple[Hashable, tuple[int, ...]]]) -> set[tuple[Hashable, Hashable]]:
    """The pairs of keys whose signatures share at least one band (each pair once, in the order first seen)."""
    buckets: dict[tuple[int, tuple[int, ...]], list[Hashable]] = defaultdict(list)
    for key, signature in signatures:
        for band in range(BANDS):
            buckets[(band, signature[band * ROWS : (band + 1) * ROWS])].append(key)
    pairs: set[tuple[Hashable, Hashable]] = set()
    for keys in buckets.values():
        for i, first in enumerate(keys):
            for second in keys[i + 1 :]:
                if first != second:
                    pairs.add((first, second))
    return pairs


def common_spans(text: str, other: frozenset[str], size: int = SHINGLE) -> list[tuple[str, bool]]:
    """Cut `text` into runs, each marked True when its characters belong to a shingle shared with `other`.

    Punctuation, digits and spaces between shared characters stay in the shared run, so the highlighting reads well.
    """
    letters = [(i, ch) for i, ch in enumerate(unicodedata.normalize("NFKC", text or "").lower())]
    kept = [(i, ch) for i, ch in letters if unicodedata.category(ch)[0] == "L"]
    shared = [False] * len(text or "")
    for j in range(len(kept) - size + 1):
        gram = "".join(ch for _i, ch in kept[j : j + size])
        if gram in other:
            for k in range(j, j + size):
                shared[kept[k][0]] = True
    # fill the gaps of non-letters between shared letters
    last = None
    for index, _ch in kept:
        if shared[index] and last is not None and shared[last]:
            for gap in range(last + 1, index):
                shared[gap] = True
        last = index
    if len(text or "") != len(letters):  # NFKC changed the length: show it unhighlighted rather than misaligned
        return [(text, False)] if text else []
    runs: list[tuple[str, bool]] = []
    for ch, flag in zip(text, shared, strict=True):
        if runs and runs[-1][1] == flag:
            runs[-1] = (runs[-1][0] + ch, flag)
        else:
            runs.append((ch, flag))
    return runs


def similar_pairs(
    texts: Sequence[tuple[Hashable, frozenset[str]]], threshold: float
) -> list[tuple[Hashable, Hashable, float]]:
    """The pairs among `texts` (key, shingles) with a Jaccard at or above `threshold`, found by MinHash banding."""
    by_key = dict(texts)
    pairs = candidate_pairs((key, minhash(items)) for key, items in texts if items)
    out = []
    for first, second in pairs:
        score = jaccard(by_key[first], by_key[second])
        if score >= threshold:
            out.append((first, second, score))
    return out


def similar_pairs_brute(
    texts: Sequence[tuple[Hashable, frozenset[str]]], threshold: float
) -> list[tuple[Hashable, Hashable, float]]:
    """The same as `similar_pairs`, all pairs compared (the benchmark's baseline)."""
    out = []
    for i, (first, a) in enumerate(texts):
        for second, b in texts[i + 1 :]:
            score = jaccard(a, b)
            if score >= threshold:
                out.append((first, second, score))
    return out
