"""GitHub-flavoured markdown: a heading and a table per section, and the sources.

Every piece of text from the KB (and every figure, which quotes its numbers) goes in
through `md`, which backslash-escapes markdown and HTML syntax, so a reader sees the
same characters the KB holds, never markup: no raw HTML (`<img onerror=…>`), no link
or image (`[text](url)`, `![](…)`), no autolink (`https://…`, `www.…`, `a@b.c`), no
emphasis, code, heading, list or table cell made from KB text (docs/security.md, "Markdown output").
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit

from rolecompare.compare.report import Cell, Listing, Page, Report, Section
from rolecompare.render.credits import SOURCE_FIELDS, by_line
from rolecompare.render.format import NOT_REPORTED, figure_detail, lead_text
from rolecompare.render.layout import (
    LEAD_HEADER,
    PP_LEGEND,
    is_utf,
    labels,
    titled_by_section,
    to_ascii,
    uses_pp,
)
from rolecompare.render.wording import (
    empty_text,
    flat,
    made_safe,
    note_lines,
    posting_line,
    salary_headlines,
    shared_text,
    sources_line,
)

if TYPE_CHECKING:
    from rolecompare.kb.types import SourceData

# Every ASCII character that can start or end markdown or HTML syntax inside a line
# (CommonMark shows a backslash-escaped ASCII punctuation character as the character).
_SYNTAX = re.compile(r"([\\`*_\[\]<|~$&@])")
# What starts a block at the start of a line: "- item", "+ item", "# title", "> quote",
# and "1. item" (whose dot is escaped: a backslash before a digit would show).
_BLOCK_START = re.compile(r"^(\s*)(?:([-+=#>])|(\d+)([.)])(?=\s|$))")
# GFM's autolinks: a scheme's "://", mailto: and xmpp:, and "www.".
_AUTOLINK = re.compile(
    r"(?i)(?:(?<=[a-z0-9])(:)(?=//)|(?<=\bmailto)(:)|(?<=\bxmpp)(:)|(?<=\bwww)(\.))"
)


def _block(match: re.Match[str]) -> str:
    space, mark, digits, dot = match.groups()
    return f"{space}\\{mark}" if mark else f"{space}{digits}\\{dot}"


def md(text: str) -> str:
    """Text as markdown that shows exactly these characters and is never markup."""
    text = _SYNTAX.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: "\\" + next(g for g in m.groups() if g), text)
    return _BLOCK_START.sub(_block, text, count=1)


def write(obj: Report | Listing, out: IO[str], details: bool = False) -> None:
    text = to_markdown(obj)
    out.write(text if is_utf(out) else to_ascii(text))


def to_markdown(obj: Report | Listing) -> str:
    lines = [f"## {md(obj.title)}", ""]
    if isinstance(obj, Listing):
        lines += _table(
            obj.columns, [[flat(r.get(c)) or NOT_REPORTED for c in obj.columns] for r in obj.rows]
        )
        return "\n".join(lines) + "\n"
    if salary_headlines(obj):
        lines += [*(f"- {md(line)}" for line in salary_headlines(obj)), ""]
    pp = False
    for section in obj.sections:
        numeric = any(row.lead is not None for row in section.rows) and len(obj.roles) > 1
        pp = pp or (numeric and uses_pp(section.rows))
        lines += _section(obj, section, numeric)
    if pp:
        lines += [PP_LEGEND, ""]
    said = [md(note) for note in obj.notes]
    lines += [*said, "", md(sources_line(obj))] if said else [md(sources_line(obj))]
    if posting_line(obj.sources):
        lines += ["", md(posting_line(obj.sources))]
    return "\n".join(lines) + "\n"


def _section(obj: Report, section: Section, numeric: bool) -> list[str]:
    """A section's heading (unless the report's title is its own), measure, table,
    meanings, what every role shares and its notes."""
    lines = [] if titled_by_section(obj) else [f"### {md(section.title)}", ""]
    if section.measure:
        lines += [f"*{md(section.measure)}*", ""]
    header = ["", *(r["name"] for r in obj.roles)] + ([LEAD_HEADER] if numeric else [])
    body = [
        [label, *(_cell(row.cells[r["id"]]) for r in obj.roles)]
        + ([lead_text(row)] if numeric else [])
        for row, label in zip(section.rows, labels(section), strict=True)
    ]
    if body:
        lines += [*_table(header, body, escaped=len(obj.roles) + 1), ""]
    meanings = [f"- {md(row.label)}: {md(row.meaning)}" for row in section.rows if row.meaning]
    if meanings:
        lines += [*meanings, ""]
    if section.shared:
        lines += [md(shared_text(section, obj)), ""]
    notes = note_lines(section)
    if notes:
        lines += [f"> {md(line)}" for line in notes] + [""]
    return lines


def _table(header: list[str], body: list[list[str]], escaped: int = 0) -> list[str]:
    """A GitHub table. Cells are escaped here, except the first `escaped` cells after the
    label of each body row (role cells, which _cell escaped text by text)."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    rows = [[md(c) if not 0 < i < escaped else c for i, c in enumerate(cells)] for cells in body]
    return [line([md(h) for h in header]), line(["---"] * len(header)), *(line(r) for r in rows)]


def _cell(cell: Cell) -> str:
    """A role's cell: its texts, each escaped, one a line (<br>, the one markup of a cell)."""
    if not cell.reported:
        return md(empty_text(cell))
    texts = list(cell.texts)
    detail = figure_detail(cell) if cell.has_figure else None
    texts[1:1] = [detail] if detail else []
    return "<br>".join(md(t) for t in texts)


# ---- the report page (rolecompare report --format markdown) ----

LEDE = (
    "Every figure comes from a published source, listed at the end; the HTML report and "
    "`--format json` quote each one's own words. “—” means the source gives no figure, not zero."
)


def page_markdown(page: Page) -> str:
    """One markdown document: each topic as `--format markdown` prints it, then the sources.

    Like every text format, it shows the KB's text made safe (rolecompare.text.safe), and
    as markdown that is never markup (md)."""
    page = made_safe(page)
    lines = [f"# {md(page.title)}", "", LEDE, ""]
    doc = "\n".join(lines) + "\n" + "\n".join(to_markdown(r) for r in page.reports)
    credits = ["## Sources", ""]
    for n, src in enumerate(page.sources, 1):
        said = _source_lines(src, page.not_given.get(src["id"], ""))
        parts = [_md_link(line) if line == src["url"] else md(line) for line in said]
        credits.append(f"{n}. " + " ".join(parts))
    if posting_line(page.sources):
        credits += ["", md(posting_line(page.sources))]
    credits += ["", f"Made with {md(page.version)}."]
    return doc + "\n" + "\n".join(credits) + "\n"


def _source_lines(src: SourceData, not_given: str) -> list[str]:
    """A source's full credit as plain text, one sentence a line."""
    by = by_line(src)
    lines = [f"{src['publisher']}, “{src['title']}”" + (f", {by}" if by else "") + "."]
    if src["url"]:
        lines.append(src["url"])
    fields: dict[str, object] = dict(src)
    lines += [f"{label}: {fields[key]}" for label, key in SOURCE_FIELDS if fields[key]]
    if not_given:
        lines.append(f"Not given: {not_given}.")
    return lines


def _md_link(url: str) -> str:
    """A source's URL as a markdown autolink when it is a plain http(s) URL; else text."""
    plain = url.strip()
    if urlsplit(plain).scheme.lower() in {"http", "https"} and re.fullmatch(r"[^\s<>\\]+", plain):
        return f"<{plain}>"
    return md(url)
