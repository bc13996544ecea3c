"""The three lists as files: read attachment-2 tables (xlsx, docx, csv) and write them (xlsx, docx, csv, pdf).

- `cells`: one cell's text ⇄ values (names, units, deadlines, budgets), no database.
- `reader`: a file's bytes → rows of cell texts, with the header found by its column names.
- `importer`: rows → a checked plan → matters, through the matter services, all or nothing.
- `exporter`: a list of matters → a file in attachment 2's columns.
"""
