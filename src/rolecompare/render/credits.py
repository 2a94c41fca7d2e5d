"""What the report page (HTML and markdown) says of each source, and its stylesheet
and script (report.css, report.js: package data, read with importlib.resources)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rolecompare.compare.report import Page
    from rolecompare.kb.types import SourceData

# A source's facts, labelled, in the order the page lists them.
SOURCE_FIELDS = (
    ("Data from", "data_date"),
    ("Cite as", "citation"),
    ("Credit", "credit"),
    ("Changes", "modified"),
    ("Method", "method"),
    ("Sample", "sample"),
    ("Note", "note"),
)


def source_facts(page: Page, src: SourceData) -> list[tuple[str, object]]:
    """The labelled facts a source gives, then what it does not ("Not given")."""
    fields: Mapping[str, object] = src
    facts = [(label, fields[key]) for label, key in SOURCE_FIELDS if fields[key]]
    if page.not_given.get(src["id"]):
        facts.append(("Not given", page.not_given[src["id"]]))
    return facts


def by_line(src: SourceData) -> str:
    """ "author, date", or what of them the source gives."""
    return ", ".join(x for x in (src["author"], src["date"]) if x)


@functools.cache
def asset(name: str) -> str:
    """A file of the report page's that ships in the package: report.css or report.js."""
    return files("rolecompare.render").joinpath(name).read_text("utf-8")
