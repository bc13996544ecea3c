"""Open files in LibreOffice and read the PDF it prints: what the park sees when it opens our files.

`convert` turns many files into PDF in ONE soffice run (LibreOffice takes seconds to start) with its own
profile, so parallel test runs do not share one. The readers use poppler-utils: pdfinfo (pages, page size),
pdftotext (the text, and each word's box with -bbox), pdffonts (the fonts used).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

SOFFICE_TIMEOUT = 180
NEEDED = ("soffice", "pdftotext", "pdfinfo", "pdffonts")


def require_tools() -> None:
    """Fail (never skip) when LibreOffice or poppler is missing: these tests are how we know the files print well."""
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"The rendering tests need {', '.join(missing)}: run scripts/system-deps.sh "
            "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)",
            pytrace=False,
        )


def convert(files: list[Path], outdir: Path, profile: Path) -> dict[str, Path]:
    """Each file as the PDF LibreOffice prints of it, by file name; fails naming the files it could not convert."""
    require_tools()
    outdir.mkdir(parents=True, exist_ok=True)
    command = [
        "soffice",
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False)
    found = {f.name: outdir / (f.stem + ".pdf") for f in files}
    lost = [name for name, pdf in found.items() if not pdf.is_file()]
    if lost:
        pytest.fail(f"LibreOffice did not convert {lost}: {done.stdout} {done.stderr}", pytrace=False)
    return found


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


@dataclass(frozen=True)
class Word:
    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


@dataclass
class Rendered:
    """A PDF as LibreOffice printed it."""

    path: Path

    @property
    def info(self) -> dict[str, str]:
        lines = _run("pdfinfo", str(self.path)).splitlines()
        return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}

    @property
    def pages(self) -> int:
        return int(self.info["Pages"])

    @property
    def page_size(self) -> tuple[float, float]:
        """Width and height in points of the first page."""
        width, height = re.findall(r"[\d.]+", self.info["Page size"])[:2]
        return float(width), float(height)

    def text(self, page: int | None = None) -> str:
        pages = ["-f", str(page), "-l", str(page)] if page else []
        return _run("pdftotext", "-layout", *pages, str(self.path), "-")

    def flat_text(self) -> str:
        """Every character of the text, without spaces and line ends: a cell's text wrapped over lines reads whole."""
        return re.sub(r"\s+", "", _run("pdftotext", str(self.path), "-"))

    def words(self) -> list[Word]:
        html = _run("pdftotext", "-bbox", str(self.path), "-")
        found: list[Word] = []
        for number, page in enumerate(html.split("<page ")[1:], start=1):
            for match in re.finditer(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page
            ):
                x0, y0, x1, y1 = (float(match.group(i)) for i in range(1, 5))
                found.append(Word(number, x0, y0, x1, y1, unescape(match.group(5))))
        return found

    def characters(self) -> Counter[str]:
        """How often each character is printed (spaces left out)."""
        return Counter(self.flat_text())

    def overlapping_words(self) -> list[tuple[Word, Word]]:
        """Pairs of words printed over each other: a wrapped cell whose row is too short runs into the next."""
        found: list[tuple[Word, Word]] = []
        words = sorted(self.words(), key=lambda w: (w.page, w.y_min))
        for index, word in enumerate(words):
            for other in words[index + 1 :]:
                if other.page != word.page or other.y_min >= word.y_max:
                    break
                dx = min(word.x_max, other.x_max) - max(word.x_min, other.x_min)
                dy = min(word.y_max, other.y_max) - max(word.y_min, other.y_min)
                smaller = min(word.y_max - word.y_min, other.y_max - other.y_min)
                if dx > 1 and dy > 0.3 * smaller:
                    found.append((word, other))
        return found

    def fonts(self) -> list[str]:
        lines = _run("pdffonts", str(self.path)).splitlines()[2:]
        return [line.split()[0] for line in lines if line.strip()]
