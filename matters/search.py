"""Chinese full-text search over matters, on both databases, without a word list.

Chinese runs its words together, so the index holds overlapping character pairs (bigrams): 路灯不亮 is
indexed as 路灯 灯不 不亮, and a phrase is found as its bigrams in a row. That finds every matter whose
text contains the phrase (as LIKE '%…%' would) through an index instead of a scan. The last character of
each run is indexed on its own too, so a one-character query is a prefix query (灯 finds 灯* tokens).
Latin letters and digits are indexed as lower-case words (codes, road numbers).

The index lives beside the matters table and only holds tokens made here, so it does not depend on the
database's language support: SQLite keeps them in an FTS5 table, PostgreSQL in a tsvector with a GIN
index. `Matter.save()` keeps a matter's entry current; `reindex` rebuilds entries after bulk writes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

TABLE = "matters_search"
# The text a matter is found by: its code (MQ-2026-0001 is the words mq 2026 0001) and its text.
INDEXED_FIELDS = ("code", "problem", "task", "location", "effect")
MAX_TERMS = 8

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def tokens(text: str) -> list[str]:
    """The index tokens of `text`: bigrams and the run's last character for Chinese, words for the rest."""
    out: list[str] = []
    for run in _RUNS.findall(unicodedata.normalize("NFKC", text or "").lower()):
        if run.isascii():
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
            out.append(run[-1])
    return out


def document(parts: Iterable[str]) -> str:
    """The space-separated tokens of a matter's searchable fields (what the index stores)."""
    return " ".join(t for part in parts for t in tokens(part))


def _term_tokens(term: str) -> tuple[list[str], bool]:
    """The tokens a query term must match in a row, and whether the last one is a prefix."""
    found: list[str] = []
    prefix = False
    for run in _RUNS.findall(unicodedata.normalize("NFKC", term).lower()):
        if run.isascii():
            found.append(run)
            prefix = False
        elif len(run) == 1:
            found.append(run)
            prefix = True
        else:
            found.extend(run[i : i + 2] for i in range(len(run) - 1))
            prefix = False
    return found, prefix


def _sqlite_match(terms: Sequence[tuple[list[str], bool]], joiner: str) -> str:
    parts = [f'"{" ".join(toks)}"' + ("*" if prefix else "") for toks, prefix in terms]
    return f" {joiner} ".join(parts)


def _pg_query(terms: Sequence[tuple[list[str], bool]], joiner: str) -> str:
    def one(toks: list[str], prefix: bool) -> str:
        quoted = [f"'{t}'" for t in toks]
        if prefix:
            quoted[-1] += ":*"
        return "(" + " <-> ".join(quoted) + ")"

    return f" {joiner} ".join(one(toks, prefix) for toks, prefix in terms)


def _parse(text: str) -> list[tuple[list[str], bool]]:
    terms = []
    for raw in text.split()[:MAX_TERMS]:
        toks, prefix = _term_tokens(raw)
        if toks:
            terms.append((toks, prefix))
    return terms


def ids_sql(text: str, *, any_term: bool = False) -> tuple[str, list[str]] | None:
    """SQL selecting the ids of matters containing every term of `text` (any term with `any_term`)."""
    terms = _parse(text)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        query = _pg_query(terms, "|" if any_term else "&")
        return f"SELECT matter_id FROM {TABLE} WHERE document @@ %s::tsquery", [query]
    query = _sqlite_match(terms, "OR" if any_term else "AND")
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [query]


def search_q(text: str) -> Q:
    """Matters whose code or text contains every term of `text` (nothing, if no term has a letter or digit)."""
    found = ids_sql(text)
    return Q(pk__in=RawSQL(*found)) if found is not None else Q(pk__in=[])


def recent_ids(text: str, *, limit: int, any_term: bool = False) -> list[int]:
    """The ids of the `limit` newest matters (by id) containing every term of `text` (any, with `any_term`).

    Read from the index alone, newest first, so the database can stop at `limit` however many match.
    """
    found = ids_sql(text, any_term=any_term)
    if found is None:
        return []
    sql, params = found
    key = "matter_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY {key} DESC LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def _pg_vector(doc: str) -> str:
    """A tsvector literal with positions, so that phrases match: 'a':1 'b':2 …"""
    return " ".join(f"'{t}':{i}" for i, t in enumerate(doc.split()[:16000], start=1))


def write(rows: Iterable[tuple[int, str]]) -> None:
    """Store (matter id, document) pairs, replacing what was there."""
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {TABLE} (matter_id, document) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (matter_id) DO UPDATE SET document = EXCLUDED.document",
                [(pk, _pg_vector(doc)) for pk, doc in rows],
            )
        else:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk, _doc in rows])
            cursor.executemany(f"INSERT INTO {TABLE} (rowid, tokens) VALUES (%s, %s)", rows)


def remove(matter_ids: Iterable[int]) -> None:
    """Drop the index entries of deleted matters."""
    key = "matter_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {TABLE} WHERE {key} = %s", [(pk,) for pk in matter_ids])


def copy_rows(rows: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """(matter id, value) pairs in the form the index table takes in a bulk load (COPY or INSERT)."""
    if connection.vendor == "postgresql":
        return ((pk, _pg_vector(doc)) for pk, doc in rows)
    return iter(rows)


def bulk_columns() -> tuple[str, ...]:
    return ("matter_id", "document") if connection.vendor == "postgresql" else ("rowid", "tokens")


def reindex(matter_ids: Iterable[int] | None = None, *, chunk: int = 2000) -> int:
    """Rebuild the index entries of these matters (all matters when None). Returns how many were written."""
    from matters.models import Matter

    qs = Matter.objects.order_by("pk").values_list("pk", *INDEXED_FIELDS)
    if matter_ids is not None:
        qs = qs.filter(pk__in=list(matter_ids))
    done = 0
    batch: list[tuple[int, str]] = []
    for pk, *parts in qs.iterator(chunk_size=chunk):
        batch.append((pk, document(parts)))
        if len(batch) >= chunk:
            write(batch)
            done += len(batch)
            batch = []
    write(batch)
    return done + len(batch)


def optimize() -> None:
    """Merge the index into one piece after a bulk load (SQLite's FTS5 otherwise merges its many
    pieces during later inserts, making some of them slow). PostgreSQL's index needs nothing."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")


CREATE_SQL = {
    "sqlite": [f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(tokens, tokenize='unicode61')"],
    "postgresql": [
        # No foreign key: Django's flush truncates matters_matter without knowing this table. An entry whose
        # matter is gone matches nothing (searches select matters by id), and a new matter's save replaces it.
        f"CREATE TABLE IF NOT EXISTS {TABLE} (matter_id bigint PRIMARY KEY, document tsvector NOT NULL)",
        # fastupdate off: each matter's entries go straight into the index, instead of a pending list that
        # some unlucky insert has to merge (a stall of a second at a million matters).
        f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document) WITH (fastupdate = off)",
    ],
}
DROP_SQL = {"sqlite": [f"DROP TABLE IF EXISTS {TABLE}"], "postgresql": [f"DROP TABLE IF EXISTS {TABLE}"]}
