"""Plain listings of a KB's records: its roles and its sources."""

from __future__ import annotations

from rolecompare.compare.report import Listing, Record
from rolecompare.kb.data import RoleData, SourceData

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
)


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
    rows: list[Record] = [
        {column: source.get(column) for column in SOURCE_COLUMNS}  # type: ignore[misc]
        for source in sources
    ]
    return Listing("sources", "Sources", list(SOURCE_COLUMNS), rows)
