"""A table as CSV text for Excel and WPS: UTF-8 with a BOM, the title in the first row, streamed.

Every cell goes through core.spreadsheet: quoted, and neutralised where a spreadsheet would take it for a formula.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from core.spreadsheet import csv_records


def csv_chunks(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[bytes]:
    """UTF-8 with a BOM, so that Excel and WPS open the Chinese text; the title in the first row."""
    yield "\ufeff".encode()
    for record in csv_records(itertools.chain([[title], columns], rows)):
        yield record.encode("utf-8")


def write_csv(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]], out: IO[bytes]) -> None:
    for chunk in csv_chunks(title, columns, rows):
        out.write(chunk)
