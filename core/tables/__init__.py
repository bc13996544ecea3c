"""Tables in: read the tables offices keep (xlsx, csv, docx), check every row, write all rows or none.

- `cells`: one cell's text → a value (names, dates, hours, times), and name folding; no database.
- `reader`: a file's bytes → rows of cell texts, the header found by its columns' names and synonyms; zip bombs,
  huge and damaged files refused with one clear sentence.
- `importer`: `TableImporter`, the engine a declaration runs on: dry run = write, then roll back, so the
  services do the checking; per-row errors under their row number and column name; all or nothing; rows
  imported before found again by their key.
- `report`: `TableReport`, what the upload page shows and the import commands write (`write_report`).

A ledger importer is a declaration of its columns and of how one row becomes a record through the app's own
services. Every importer is written this way (the attachment-2 list in `matters.exchange.importer`, the visit
sheet in `fieldwork.importer`); a household ledger, say, would be::

    @dataclass
    class HouseholdRow(Row):
        head: str = ""
        community: Unit | None = None
        members: int = 0
        visited_on: dt.date | None = None


    class HouseholdImporter(TableImporter[HouseholdRow]):
        columns = [
            Column("户主", synonyms=("户主姓名", "姓名"), required=True, attr="head", fields=("head",)),
            Column("社区", synonyms=("所属社区",), required=True, fields=("community",)),
            Column("人口", synonyms=("家庭人口",), attr="members", parse=parse_members, fields=("members",)),
            Column("走访日期", synonyms=("日期",), attr="visited_on", parse=cells.parse_date, fields=("visited_on",)),
        ]
        row_class = HouseholdRow
        format_hint = gettext_lazy("Upload the household ledger as an .xlsx or .csv file.")
        model = Household  # rows imported before are found by Household.import_key

        def start(self, report: TableReport) -> None:
            self.communities = UnitsByName(Unit.objects.filter(kind=UnitKind.COMMUNITY))

        def read(self, row: HouseholdRow, source: SourceRow) -> None:
            found = self.communities.named(source.get("社区"))
            if len(found) != 1:
                row.error("社区", _("Name one community of the park."))
            else:
                row.community = found[0]

        def key(self, row: HouseholdRow) -> str:
            assert row.community is not None  # a row without errors has one
            return cells.digest("care.household", str(row.community.pk), cells.name_key(row.head))

        def save(self, row: HouseholdRow, *, actor: Actor) -> Household:
            # The service checks what the columns did not (a head already paired, a date in the future, …);
            # its ValidationError on "members" is reported under the column 人口.
            return household_create(
                actor=actor, head=row.head, community=row.community, members=row.members,
                visited_on=row.visited_on, import_key=row.key,
            )

        def record(self, report: TableReport, *, actor: Actor) -> None:
            audit_record(actor=actor, action="care.household_import", after=self.summary(report))

and the upload page and command call `HouseholdImporter().run(name=..., data=..., actor=..., dry_run=...)`,
show the report with the row's `state` and `errors`, and print it with `report.write_report`.
"""

from core.tables.importer import TableImporter
from core.tables.reader import Column, SourceRow, TableError
from core.tables.report import Row, RowError, TableReport

__all__ = ["Column", "Row", "RowError", "SourceRow", "TableError", "TableImporter", "TableReport"]
