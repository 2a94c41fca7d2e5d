"""Every topic for the chosen roles in one self-contained HTML page (the markdown of the
same Page is render/markdown.py's; its data, compare/report_page.py's).

The page needs nothing but itself: its stylesheet (report.css) is inline, it loads no script, font,
stylesheet or image from anywhere, and it reads without JavaScript (one optional inline
line, report.js, opens every quote for printing in browsers that cannot do it from CSS). Percentages
are bars on a 0–100 scale that carry their number as text, inside a real table, so the
page also reads without the chart and in a screen reader; every cell's source and
verbatim quote sits in a <details> under it.

No template engine (Jinja2 or the like): it would be a new runtime dependency for one
page, and its escaping is a setting that a template can switch off. Here the markup is
this module's own string literals, and every value that comes from the KB, the roles or
the caller passes through one function, `esc` (rolecompare.text.safe, then html.escape),
before it joins them; links are made only from http(s) URLs. tests/test_html_report.py
renders a hostile KB to prove it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rolecompare.compare.report import PERCENT, Cell, Note, Page, Report, Row, Section
from rolecompare.render.credits import asset, by_line, source_facts
from rolecompare.render.format import figure_detail, gap_text, lead_text, plain, short_name
from rolecompare.render.wording import posting_line, salary_headlines
from rolecompare.text import safe

if TYPE_CHECKING:
    from rolecompare.kb.types import RoleData

LEDE = (
    "Every figure comes from a published source: open “Source” under it for the "
    "source’s own words. “Not reported” means the source gives no figure, not zero. "
    "Bars run from 0 to 100%."
)


def esc(value: object) -> str:
    """The one way a value gets into the page: as text, never as markup, with control and
    bidi characters visibly escaped as every text format shows them (rolecompare.text).
    Line breaks stay: a quote's lines show as lines (white-space: pre-line)."""
    return html.escape("\n".join(safe(line) for line in str(value).split("\n")), quote=True)


def _link(url: str | None, text: str) -> str:
    """An <a> for an http(s) URL (a javascript: or data: URL stays text); else the text."""
    if url and urlsplit(url.strip()).scheme.lower() in {"http", "https"}:
        return f'<a href="{esc(url.strip())}" rel="noopener noreferrer">{esc(text)}</a>'
    return esc(text)


def build_report_html(page: Page) -> str:
    """The whole page: every report a section, then the sources and the page's version."""
    return _Html(page).build()


class _Html:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.reports = page.reports
        self.sources = sources = page.sources  # the KB's, then any other a report cites
        self.roles = page.roles
        self.number = {s["id"]: n for n, s in enumerate(sources, 1)}
        self.names = {s["id"]: s["publisher"] for s in sources}
        self.out: list[str] = []
        # Ids the page writes itself; anchor() makes every other one unique.
        self.ids = {"sources", "sources-h", *(f"src-{s['id']}" for s in sources)}

    def w(self, *parts: str) -> None:
        self.out.extend(parts)

    def anchor(self, *parts: str) -> str:
        """A unique id made from slugs (already safe; escaped where written anyway)."""
        base = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts) or "x"
        name, n = base, 1
        while name in self.ids:
            n += 1
            name = f"{base}-{n}"
        self.ids.add(name)
        return name

    # -- the page --

    def build(self) -> str:
        title, version = esc(self.page.title), self.page.version
        css = asset("report.css")
        self.w(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="color-scheme" content="light dark">\n',
            f'<meta name="generator" content="{esc(version)}">\n',
            '<link rel="icon" href="data:,">\n',
            f"<title>{title}</title>\n<style>{self.tag_width()}\n{css}</style>\n</head>\n<body>\n",
        )
        self.w(f'<header>\n<h1>{title}</h1>\n<p class="lede">{esc(LEDE)}</p>\n')
        self.legend()
        self.w('<nav aria-label="Contents"><h2 class="vh">Contents</h2><ol>')
        report_ids = [self.anchor(r.command) for r in self.reports]
        for report, rid in zip(self.reports, report_ids, strict=True):
            self.w(f'<li><a href="#{esc(rid)}">{esc(report.title)}</a></li>')
        self.w('<li><a href="#sources">Sources</a></li></ol></nav>\n</header>\n<main>\n')
        for report, rid in zip(self.reports, report_ids, strict=True):
            self.report(report, rid)
        self.w("</main>\n")
        self.source_list(version)
        script = asset("report.js").rstrip("\n")
        self.w(f"<script>{script}</script>\n</body>\n</html>\n")
        return "".join(self.out)

    def tag_width(self) -> str:
        """A narrow screen's bars start where the longest short role name ends."""
        longest = max((len(_short(r)) for r in self.roles), default=3)
        return f":root {{ --tag: {min(1.3 + 0.6 * longest, 7):.1f}rem; }}"

    def legend(self) -> None:
        self.w('<ul class="legend" aria-label="Roles">')
        for i, role in enumerate(self.roles):
            self.w(
                f'<li class="{_colour(i)}"><span class="sw" aria-hidden="true"></span>'
                f"{esc(role['name'])}{self.short(role)}</li>"
            )
        self.w("</ul>\n")

    def short(self, role: RoleData) -> str:
        short = _short(role)
        return f' <span class="short">({esc(short)})</span>' if short != role["name"] else ""

    def report(self, report: Report, rid: str) -> None:
        hid = self.anchor(rid, "h")
        self.w(
            f'<section class="report" id="{esc(rid)}" aria-labelledby="{esc(hid)}">\n'
            f'<h2 id="{esc(hid)}">{esc(report.title)}</h2>\n'
        )
        if not report.sections:
            self.w('<p class="empty">The knowledge base has nothing on this for these roles.</p>\n')
        lines = salary_headlines(report)
        if lines:  # who leads on each measure, and whose figures they are
            self.w('<ul class="headlines">', *(f"<li>{esc(h)}</li>" for h in lines), "</ul>\n")
        one = len(report.sections) == 1 and report.sections[0].title == report.title
        for section in report.sections:
            self.section(section, rid, hid if one else None)
        if report.notes:
            self.w('<ul class="notes">', *(f"<li>{esc(n)}</li>" for n in report.notes), "</ul>")
        self.w("</section>\n")

    def section(self, section: Section, rid: str, report_heading: str | None) -> None:
        """A topic of a report under its own heading; under the report's (report_heading)
        when it is the report's only topic and has the report's title."""
        sid = self.anchor(rid, section.id)
        heading = report_heading or self.anchor(sid, "h")
        self.w(f'<section class="topic" id="{esc(sid)}" aria-labelledby="{esc(heading)}">\n')
        if report_heading is None:
            self.w(f'<h3 id="{esc(heading)}">{esc(section.title)}</h3>\n')
        numeric = any(row.unit == PERCENT or row.lead is not None for row in section.rows)
        if section.measure:
            self.w(f'<p class="measure">{esc(section.measure)}</p>\n')
        if section.rows:
            self.table(section, sid, heading, numeric)
            self.counted_credits(section)
        if section.shared:
            who = "Both roles" if len(self.roles) == 2 else "All roles shown"
            self.w(f'<div class="shared"><h4>{who}</h4><ul>')
            for sh in section.shared:
                self.w(
                    f"<li><div><p>{esc(sh.text)} {self.ref(sh.source)}</p>",
                    self.quotes((sh.quote,), sh.source, sh.text),
                    "</div></li>",
                )
            self.w("</ul></div>\n")
        notes: list[tuple[str | None, Note]] = [(r.label, n) for r in section.rows for n in r.notes]
        notes += [(None, n) for n in section.notes]
        if notes:
            # Where a source contradicts itself: what to know, and both passages.
            self.w('<div class="caveats" role="note"><h4>Note</h4><ul>')
            for label, note in notes:
                about = f"<strong>{esc(label)}:</strong> " if label else ""
                self.w(
                    f"<li><div><p>{about}{esc(note.text)} {self.ref(note.source)}</p>",
                    self.quotes(note.quotes, note.source, note.text),
                    "</div></li>",
                )
            self.w("</ul></div>\n")
        self.w("</section>\n")

    def counted_credits(self, section: Section) -> None:
        """Under a table of counted figures: each analysis's credit and caveats, which
        travel with its figures (the table's sources line says the same)."""
        counted = {
            r.source
            for r in section.rows
            if any(c.k is not None or c.percentiles for c in r.cells.values())
        }
        for src in self.sources:
            if src["id"] in counted and (src["credit"] or src["note"]):
                said = " ".join(
                    x
                    for x in (
                        src["credit"] and f"{src['credit']}.",
                        src["note"] and f"Caveats: {src['note']}",
                    )
                    if x
                )
                self.w(f'<p class="measure">{esc(said)} {self.ref(src["id"])}</p>\n')

    # -- tables --

    def table(self, section: Section, sid: str, heading: str, numeric: bool) -> None:
        kind = "cmp chart" if numeric else "cmp"
        self.w(
            f'<table class="{kind}" role="table" aria-labelledby="{esc(heading)}"'
            f' data-topic="{esc(section.id)}">'
            '<colgroup><col class="c-label">',
            *('<col class="c-role">' for _ in self.roles),
            '<col class="c-lead">' if numeric else "",
            "</colgroup>\n"
            '<thead role="rowgroup"><tr role="row">'
            '<th scope="col" role="columnheader"><span class="vh">Item</span></th>',
        )
        heads = []
        for i, role in enumerate(self.roles):
            hid = self.anchor(sid, "role", role["id"])
            heads.append(hid)
            self.w(
                f'<th scope="col" role="columnheader" id="{esc(hid)}" class="{_colour(i)}">'
                f'<span class="sw" aria-hidden="true"></span>{esc(role["name"])}</th>'
            )
        if numeric:
            self.w('<th scope="col" role="columnheader">Lead</th>')
        self.w('</tr></thead>\n<tbody role="rowgroup">\n')
        for row in section.rows:
            self.row(row, heads, numeric)
        self.w("</tbody></table>\n")

    def row(self, row: Row, heads: list[str], numeric: bool) -> None:
        bars = row.unit == PERCENT
        item = f' data-item="{esc(row.item)}"' if row.item else ""
        self.w(
            f'<tr role="row"{item} data-source="{esc(row.source)}"'
            f"{' class=bars' if bars else ''}>"
            f'<th scope="row" role="rowheader"><span class="label">{esc(row.label)}</span> '
            f"{self.ref(row.source)}"
        )
        if row.meaning:
            self.w(f'<span class="meaning">{esc(row.meaning)}</span>')
        self.w("</th>")
        for i, (role, hid) in enumerate(zip(self.roles, heads, strict=True)):
            lead = " leader" if row.leader == role["id"] else ""
            short = _short(role) if bars else role["name"]
            tag = (
                f'<span aria-hidden="true">{esc(short)}</span>'
                f'<span class="vh">{esc(role["name"])}</span>'
                if short != role["name"]
                else esc(role["name"])
            )
            self.w(
                f'<td role="cell" class="{_colour(i)}{lead}" data-role="{esc(role["id"])}"'
                f' headers="{esc(hid)}"><div class="in"><span class="tag">'
                f'<span class="sw" aria-hidden="true"></span>{tag}</span>'
            )
            self.cell(row, row.cells[role["id"]], role, bars)
            self.w("</div></td>")
        if numeric:
            lead = self.lead(row)
            said = f'<span class="vh">Lead: </span>{lead}' if lead else ""
            self.w(f'<td role="cell" class="lead">{said}</td>')
        self.w("</tr>\n")

    def cell(self, row: Row, cell: Cell, role: RoleData, bars: bool) -> None:
        texts = list(cell.texts)
        if bars:
            if cell.value is not None:
                width = f"{plain(max(0.0, min(cell.value, 100.0)))}%"
                self.w(
                    f'<div class="fig"><span class="track" aria-hidden="true">'
                    f'<span class="fill" style="width:{esc(width)}"></span></span>'
                    f'<span class="val">{esc(texts.pop(0))}</span></div>'
                )
            else:
                words = "no figure" if cell.reported else "not reported"
                self.w(
                    f'<div class="fig"><span class="track none">'
                    f'<span class="nr">{words}</span></span><span class="val"></span></div>'
                )
        elif not cell.reported:
            self.w('<p class="nr">not reported</p>')
        detail = figure_detail(cell) if cell.has_figure else None
        if detail:  # k of N and its interval, or a record's N
            self.w(f'<p class="n">{esc(detail)}</p>')
        if cell.why:  # why an empty cell is empty, where the KB knows
            self.w(f'<p class="nr why">({esc(cell.why)})</p>')
        if len(texts) == 1:
            self.w(f'<p class="text">{esc(texts[0])}</p>')
        elif texts:
            self.w('<ul class="text">', *(f"<li>{esc(t)}</li>" for t in texts), "</ul>")
        if cell.quotes:
            self.w(self.quotes(cell.quotes, row.source, f"{row.label}, {role['name']}"))

    def lead(self, row: Row) -> str:
        if row.lead is None:
            return esc(lead_text(row))
        if row.leader is None:
            return "tie"
        # The words of every format's lead (rolecompare.render.format), the role abbreviated.
        role = next((r for r in self.roles if r["id"] == row.leader), None)
        name = role["name"] if role else row.leader
        short = short_name(row.leader)
        return f'<abbr title="{esc(name)}">{esc(short)}</abbr> {esc(gap_text(row))}'

    # -- provenance --

    def ref(self, source: str) -> str:
        n = self.number.get(source)
        if n is None:
            return f'<span class="ref">[{esc(source)}]</span>'
        return (
            f'<a class="ref" href="#src-{esc(source)}" aria-label="source {n}: '
            f'{esc(self.names[source])}">[{n}]</a>'
        )

    def quotes(self, quotes: Iterable[str], source: str, what: str) -> str:
        unique = list(dict.fromkeys(quotes))
        # A note of several sources ("asaniczka-2024, data-jobs-2023") links each one.
        by = ", ".join(
            f'<a href="#src-{esc(s)}">{esc(self.names[s])}</a>' if s in self.names else esc(s)
            for s in source.split(", ")
        )
        return (
            '<details class="src"><summary>Source<span class="vh"> for '
            f"{esc(what)}</span></summary>"
            + "".join(f"<blockquote>{esc(q)}</blockquote>" for q in unique)
            + f'<p class="by">— {by}</p>'
            "</details>"
        )

    def source_list(self, version: str) -> None:
        self.w(
            '<footer>\n<section id="sources" aria-labelledby="sources-h">'
            '<h2 id="sources-h">Sources</h2>\n<ol class="sources">\n'
        )
        for src in self.sources:
            by = by_line(src)
            self.w(
                f'<li id="src-{esc(src["id"])}"><p><b>{esc(src["publisher"])}</b>, '
                f"“{_link(src['url'], src['title'])}”{esc(', ' + by) if by else ''}.</p>"
            )
            if src["url"]:
                self.w(f'<p class="url">{_link(src["url"], src["url"])}</p>')
            facts = source_facts(self.page, src)
            if facts:
                self.w("<dl>", *(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts), "</dl>")
            self.w("</li>\n")
        self.w("</ol>\n")
        if posting_line(self.sources):
            self.w(f'<p class="postings">{esc(posting_line(self.sources))}</p>\n')
        self.w(f'</section>\n<p class="version">Made with {esc(version)}.</p>\n</footer>\n')


def _short(role: RoleData) -> str:
    """What the lead column (and a narrow screen's bars) call a role: "MLE", as the table does."""
    return role["id"].upper() if len(role["id"]) <= 4 else role["name"]


def _colour(i: int) -> str:
    return f"r{i % 6}"
