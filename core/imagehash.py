"""Fingerprints of an image: its content hash (sha256) and a 64-bit perceptual hash (a difference hash, dHash).

The perceptual hash survives re-encoding and resizing: the image is reduced to 9×8 grey pixels and each bit says
whether a pixel is brighter than its right neighbour, so a re-saved JPEG or a smaller copy lands within a few bits of
the original while a different photo differs in about half of the 64. Compare two with `hamming`.
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["PHASH_BITS", "hamming", "phash", "sha256"]

PHASH_BITS = 64
_WIDTH, _HEIGHT = 9, 8


def sha256(content: bytes) -> str:
    """Return the hex sha256 of `content`."""
    return hashlib.sha256(content).hexdigest()


def phash(content: bytes) -> str:
    """Return the 64-bit difference hash of an image as 16 hex digits, or "" when `content` is not an image."""
    try:
        with Image.open(io.BytesIO(content)) as opened:
            image: Image.Image = ImageOps.exif_transpose(opened) or opened
            grey = image.convert("L").resize((_WIDTH, _HEIGHT), Image.Resampling.LANCZOS)
            pixels = grey.tobytes()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return ""
    value = 0
    for row in range(_HEIGHT):
        for col in range(_WIDTH - 1):
            left, right = pixels[row * _WIDTH + col], pixels[row * _WIDTH + col + 1]
            value = (value << 1) | (1 if left > right else 0)
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    """Return how many of the 64 bits differ between two hashes of `phash` (64 when either is missing)."""
    if not a or not b:
        return PHASH_BITS
    return (int(a, 16) ^ int(b, 16)).bit_count()


def fill_hashes(model: type, *, images_only: bool = False) -> int:
    """Set the fingerprints of the stored files of `model` that have none (a data migration's step); return how many.

    `model` has `file`, `content_type`, `sha256` and `phash`; a file that cannot be read is left without.
    """
    filled = 0
    pending = model.objects.filter(sha256="").order_by("pk")  # type: ignore[attr-defined]
    for row in pending.iterator(chunk_size=500):
        try:
            with row.file.open("rb") as handle:
                content = handle.read()
        except (OSError, ValueError):
            continue
        row.sha256 = sha256(content)
        is_image = str(row.content_type).startswith("image/")
        row.phash = phash(content) if is_image or not images_only else ""
        row.save(update_fields=["sha256", "phash"])
        filled += 1
    return filled


class HashIndex:
    """Perceptual hashes indexed for "which are within k bits of this one?", without comparing against all.

    The 64 bits are cut into four blocks of 16. Two hashes within k bits differ by at most k // 4 bits in one of the
    blocks (pigeonhole), so a query looks up, for each block, the stored hashes whose block is within k // 4 bits of
    its own (1 + 16 lookups a block for k up to 7), then checks the few it finds exactly: every hash within k is found.
    """

    BLOCKS, WIDTH = 4, 16

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, int], list[tuple[int, object]]] = {}

    def _blocks(self, bits: int) -> list[int]:
        mask = (1 << self.WIDTH) - 1
        return [(bits >> (i * self.WIDTH)) & mask for i in range(self.BLOCKS)]

    def add(self, value: str, item: object) -> None:
        bits = int(value, 16)
        for i, block in enumerate(self._blocks(bits)):
            self._buckets.setdefault((i, block), []).append((bits, item))

    def near(self, value: str, k: int) -> list[tuple[int, object]]:
        """(distance, item) of every stored hash within k bits, each once."""
        from itertools import combinations

        bits = int(value, 16)
        radius = k // self.BLOCKS
        seen: set[int] = set()
        found: list[tuple[int, object]] = []
        for i, block in enumerate(self._blocks(bits)):
            for flips in range(radius + 1):
                for positions in combinations(range(self.WIDTH), flips):
                    probe = block
                    for p in positions:
                        probe ^= 1 << p
                    for other, item in self._buckets.get((i, probe), ()):
                        key = id(item)
                        if key in seen:
                            continue
                        distance = (bits ^ other).bit_count()
                        if distance <= k:
                            seen.add(key)
                            found.append((distance, item))
        return found
