"""Plain listings of a KB's records: its roles and its sources."""

from __future__ import annotations

from rolecompare.compare.report import Listing, Record
from rolecompare.kb.types import RoleData, SourceData

SOURCE_COLUMNS = (
    "id",
    "publisher",
    "title",
    "author",
    "date",
    "method",
    "sample",
    "url",
    "citation",
    "credit",
    "modified",
    "note",
    # new columns go at the end: when the data is from, and what a saved page does not give
    "data_date",
    "not_given",
)
# What a reader needs to follow a source; `not_given` names those it lacks.
FOLLOW = ("url", "author", "date", "data_date")
NOT_GIVEN = "not given"


def list_roles(roles: list[RoleData]) -> Listing:
    rows: list[Record] = [
        {
            "id": r["id"],
            "name": r["name"],
            "aliases": list(r["aliases"]),
            "codes": dict(r["occupations"]),
        }
        for r in roles
    ]
    return Listing("roles", "Roles", ["id", "name", "codes", "aliases"], rows, "rows")


def list_sources(sources: list[SourceData]) -> Listing:
    rows: list[Record] = []
    for source in sources:
        row: Record = {
            column: source.get(column)  # type: ignore[misc]
            for column in SOURCE_COLUMNS
            if column != "not_given"
        }
        missing = [f for f in FOLLOW if not source.get(f)]
        row["not_given"] = missing or None
        rows.append(row)
    return Listing("sources", "Sources", list(SOURCE_COLUMNS), rows)
