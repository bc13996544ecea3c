"""The three lists as files: read attachment-2 tables (xlsx, docx, csv) and write them (xlsx, docx, csv, pdf).

- `cells`: one cell's text ⇄ values (units, deadlines, budgets, the import key), no database.
- `importer`: the attachment-2 table as a declaration on core.tables: rows → matters, through the matter
  services, all or nothing.
- `exporter`: a list of matters → a file in attachment 2's columns, written by core.documents.
"""
