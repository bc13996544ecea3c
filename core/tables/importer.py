"""The engine every table importer runs on: read, check each row, write all rows or none through the services.

A declaration (`TableImporter` subclass) says what its table looks like and how one row becomes a record; the
engine does the rest, the same way for every table:

1. refuse a file over the upload limit, or one that is not a readable table with the needed columns;
2. read every row (the columns' parsers, then `read`), give it its key, and tell new rows from rows imported
   before (by the key, in `model`'s `key_field`) and from rows repeated in the file; `check` the new ones;
3. in one transaction, `prepare_writes` (e.g. create what the rows name but the database lacks) and `save` each
   new row through the app's services; a refusal is filed under the row and the column whose `fields` name it;
4. roll everything back if any row failed, or if this is a dry run: a dry run meets every check a real run
   would, because the services do the checking, and leaves nothing behind; else `record` the import (audit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from core import uploads
from core.exceptions import DomainError
from core.tables import reader
from core.tables.reader import Column, Layout, SourceRow
from core.tables.report import NEW, Row, RowError, TableReport

R = TypeVar("R", bound=Row)


class _Rollback(Exception):
    """Undo every write of the import: a dry run, or a row failed."""


def messages_by_field(exc: ValidationError) -> list[tuple[str, list[str]]]:
    """A service's refusal as (field, messages) pairs; "" for a refusal that names no field."""
    if hasattr(exc, "error_dict"):
        return [(name, [str(m) for e in errors for m in e]) for name, errors in exc.error_dict.items()]
    return [("", [str(m) for m in exc.messages])]


class TableImporter(Generic[R]):
    """A table and how its rows become records. Subclass it; see core.tables for a whole declaration."""

    columns: ClassVar[Sequence[Column]]
    row_class: ClassVar[type[Row]] = Row
    report_class: ClassVar[type[TableReport]] = TableReport
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "csv")
    format_hint: ClassVar[Any] = ""  # translated: what to upload instead of a file of another format
    model: ClassVar[type[models.Model]]  # where imported rows are found again by their key
    key_field: ClassVar[str] = "import_key"

    # --- what a declaration says -----------------------------------------------------------------------

    @classmethod
    def missing(cls, found: set[str]) -> list[str]:
        """The needed columns that a header with only `found`'s columns lacks (default: the required ones)."""
        return [c.name for c in cls.columns if c.required and c.name not in found]

    def start(self, report: Any) -> None:
        """Before the rows are read: load the lookups the rows need, fill in the report's own fields."""

    def read(self, row: R, source: SourceRow) -> None:
        """Read what the columns' parsers did not; file errors with `row.error(column, message)`."""

    def key(self, row: R) -> str:
        """What makes the row the same row next time ("" when it cannot be told apart); see cells.digest."""
        raise NotImplementedError

    def check(self, row: R) -> None:
        """Checks of a new row that a row imported before or repeated in the file is spared."""

    def prepare_writes(self, report: Any, *, actor: Any) -> None:
        """Inside the transaction, before the rows are saved (e.g. create what the rows name but is missing)."""

    def save(self, row: R, *, actor: Any) -> Any:
        """Write one new row through the app's services and return what was made; raise what the services raise."""
        raise NotImplementedError

    def record(self, report: Any, *, actor: Any) -> None:
        """Write the audit event of an import that wrote rows (audit_record with `summary`)."""
        raise NotImplementedError

    def summary(self, report: Any) -> dict[str, Any]:
        return {
            "file": report.file_name[:200],
            "created": report.new_count,
            "already_imported": report.existing_count,
            "repeated": report.duplicate_count,
        }

    # --- the engine --------------------------------------------------------------------------------------

    @classmethod
    def layout(cls) -> Layout:
        """What the reader looks for: the columns, the formats, the needed columns."""
        return Layout(columns=cls.columns, formats=cls.formats, format_hint=str(cls.format_hint), missing=cls.missing)

    def plan(self, *, name: str, data: bytes) -> Any:
        """Read and check the table without writing anything: the first half of an import."""
        report = self.report_class(file_name=name)
        self.start(report)
        if len(data) > uploads.max_bytes():
            report.file_errors.append(RowError(None, "", uploads.too_large_message(name)))
            return report
        try:
            table = reader.read_table(name, data, self.layout())
        except reader.TableError as exc:
            report.file_errors.append(RowError(None, "", exc.message))
            return report
        report.file_format, report.header_row = table.file_format, table.header_row
        if not table.rows:
            report.file_errors.append(RowError(None, "", _("The table has a header but no rows.")))
            return report
        for source in table.rows:
            row = self.row_class(number=source.number)
            for column in self.columns:
                column.read(row, source.get(column.name))
            self.read(row, source)  # type: ignore[arg-type]
            if not row.errors:
                row.key = self.key(row)  # type: ignore[arg-type]
            report.rows.append(row)
        keys = {row.key for row in report.rows if row.key}
        earlier = self.model._default_manager.filter(**{f"{self.key_field}__in": keys})
        found = {getattr(record, self.key_field): record for record in earlier}
        seen: dict[str, int] = {}
        for row in report.rows:
            if not row.key:
                continue
            row.existing = found.get(row.key)
            if row.existing is not None:
                continue  # imported before: whatever the row says now, nothing is written for it
            if row.key in seen:
                row.duplicate_of = seen[row.key]
                continue
            seen[row.key] = row.number
            self.check(row)
        return report

    def run(self, *, name: str, data: bytes, actor: Any, dry_run: bool = False) -> Any:
        """Import the table all or nothing. A dry run makes the same writes and rolls them back."""
        report = self.plan(name=name, data=data)
        report.dry_run = dry_run
        if report.file_errors or not report.rows:
            return report
        try:
            with transaction.atomic():
                self._write(report, actor=actor)
                if dry_run or report.errors:
                    raise _Rollback
                if report.new_count:
                    self.record(report, actor=actor)
        except _Rollback:
            for row in report.rows:
                row.saved = None
            self.rolled_back(report)
            return report
        report.written = True
        return report

    def rolled_back(self, report: Any) -> None:
        """Forget what the rolled-back writes made (the rows' `saved` is cleared already)."""

    def _write(self, report: Any, *, actor: Any) -> None:
        try:
            self.prepare_writes(report, actor=actor)
        except ValidationError as exc:
            report.file_errors.append(RowError(None, "", " ".join(m for _f, ms in messages_by_field(exc) for m in ms)))
            return
        columns = {name: c.name for c in self.columns for name in c.fields}
        for row in report.rows:
            if row.state != NEW:
                continue
            try:
                with transaction.atomic():  # a savepoint: a refused row leaves the transaction usable
                    row.saved = self.save(row, actor=actor)
            except ValidationError as exc:
                for field_name, messages in messages_by_field(exc):
                    row.error(columns.get(field_name, ""), " ".join(messages))
            except DomainError as exc:
                row.error(columns.get(exc.field or "", ""), exc.message)
            except IntegrityError:
                row.error("", _("This row was imported by someone else at the same time; nothing was written."))
