"""A table as CSV text for Excel and WPS: UTF-8 with a BOM, the title in the first row, streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import IO


class _Line:
    """A file-like object whose write returns what it was given: lets csv.writer feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[bytes]:
    """UTF-8 with a BOM, so that Excel and WPS open the Chinese text; the title in the first row."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode()
    yield writer.writerow([title]).encode("utf-8")
    yield writer.writerow(columns).encode("utf-8")
    for row in rows:
        yield writer.writerow(row).encode("utf-8")


def write_csv(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]], out: IO[bytes]) -> None:
    for chunk in csv_chunks(title, columns, rows):
        out.write(chunk)
