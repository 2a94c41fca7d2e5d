"""Every topic for the chosen roles in one document: a self-contained HTML page, or markdown.

The page needs nothing but itself: its stylesheet is inline, it loads no script, font,
stylesheet or image from anywhere, and it reads without JavaScript (one optional inline
line opens every quote for printing in browsers that cannot do it from CSS). Percentages
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
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rolecompare import __version__
from rolecompare.compare.ladders import career_paths
from rolecompare.compare.report import PERCENT, Cell, Note, Report, Row, Section
from rolecompare.compare.topics import compare
from rolecompare.render.format import figure_detail, gap_text, lead_text, plain, short_name
from rolecompare.render.plain import posting_line, salary_headlines
from rolecompare.text import safe

if TYPE_CHECKING:
    from rolecompare.kb.profiles import Profile
    from rolecompare.kb.types import KB, RoleData, SourceData

# The topics of a report, in the order the page shows them (commands of the CLI).
TOPICS = ("skills", "tools", "education", "salary", "path", "summary", "work")


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


def report_data(
    kb: KB, roles: list[RoleData], profiles: list[Profile] | None = None
) -> list[Report]:
    """The report of every topic for these roles, in TOPICS order; for two roles, then
    the plan for moving from the first to the second (rolecompare plan --from A --to B),
    with the shares of the posting profiles given."""
    from rolecompare.compare.counted import no_n_once
    from rolecompare.compare.plan import plan

    reports = [
        career_paths(kb, roles) if command == "path" else compare(kb, command, roles)
        for command in TOPICS
    ]
    no_n_once(reports)
    if len(roles) == 2:
        move = plan(kb, roles[1], roles[0], [], profiles)
        for section in move.sections:  # its rows reuse the topics' ids: keep the page's unique
            section.id = f"plan-{section.id}"
        reports.append(move)
    return reports


def version_text(kb_option: str | None = None) -> str:
    """'rolecompare 0.1.0; knowledge base "data", digest 1a2b3c4d5e6f7a8b' for the page's
    footer: which KB (as --kb names it) the page was made from, by the same checksum of
    its files that keys the cache (kb.cache.key_for)."""
    from rolecompare.kb.cache import key_for
    from rolecompare.kb.files import read_kb_files, resolve_kb_dir

    root = resolve_kb_dir(kb_option)
    files, _ = read_kb_files(root)
    digest = key_for((f.rel, f.data) for f in files)
    return f'rolecompare {__version__}; knowledge base "{root.name}", digest {digest}'


def build_report_markdown(reports: list[Report], sources: list[SourceData], version: str) -> str:
    """One markdown document: each topic as `--format markdown` prints it, then the sources.

    Like every text format, it shows the KB's text made safe (rolecompare.text.safe), and
    as markdown that is never markup (rolecompare.render.markdown.md)."""
    from rolecompare.render.markdown import md, to_markdown
    from rolecompare.render.plain import made_safe

    reports, sources = made_safe(reports), made_safe(sources)
    lines = [f"# {md(_title(reports))}", "", _LEDE_MD, ""]
    doc = "\n".join(lines) + "\n" + "\n".join(to_markdown(r) for r in reports)
    credits = ["## Sources", ""]
    for n, src in enumerate(_all_sources(reports, sources), 1):
        parts = [_md_link(line) if line == src["url"] else md(line) for line in _source_lines(src)]
        credits.append(f"{n}. " + " ".join(parts))
    if posting_line(_all_sources(reports, sources)):
        credits += ["", md(posting_line(_all_sources(reports, sources)))]
    credits += ["", f"Made with {md(version)}."]
    return doc + "\n" + "\n".join(credits) + "\n"


def _md_link(url: str) -> str:
    """A source's URL as a markdown autolink when it is a plain http(s) URL; else text."""
    from rolecompare.render.markdown import md

    plain = url.strip()
    if urlsplit(plain).scheme.lower() in {"http", "https"} and re.fullmatch(r"[^\s<>\\]+", plain):
        return f"<{plain}>"
    return md(url)


_LEDE = (
    "Every figure comes from a published source: open “Source” under it for the "
    "source’s own words. “Not reported” means the source gives no figure, not zero. "
    "Bars run from 0 to 100%."
)
_LEDE_MD = (
    "Every figure comes from a published source, listed at the end; the HTML report and "
    "`--format json` quote each one's own words. “—” means the source gives no figure, not zero."
)


def _title(reports: list[Report]) -> str:
    roles = reports[0].roles if reports else []
    return " vs ".join(r["name"] for r in roles) or "rolecompare report"


def _all_sources(reports: list[Report], sources: list[SourceData]) -> list[SourceData]:
    """The sources given, then any a report cites that they leave out."""
    out = list(sources)
    seen = {s["id"] for s in out}
    for report in reports:
        for src in report.sources:
            if src["id"] not in seen:
                seen.add(src["id"])
                out.append(src)
    return out


def _source_lines(src: SourceData) -> list[str]:
    """A source's full credit as plain text, one sentence a line."""
    by = ", ".join(x for x in (src["author"], src["date"]) if x)
    lines = [f"{src['publisher']}, “{src['title']}”" + (f", {by}" if by else "") + "."]
    if src["url"]:
        lines.append(src["url"])
    fields: Mapping[str, object] = src
    lines += [f"{label}: {fields[key]}" for label, key in _SOURCE_FIELDS if fields[key]]
    if _not_given(src):
        lines.append(f"Not given: {_not_given(src)}.")
    return lines


def _not_given(src: SourceData) -> str:
    """What the source does not give of what a reader needs to follow it: "url, author"."""
    from rolecompare.compare.listings import FOLLOW

    fields: Mapping[str, object] = src
    return ", ".join(f.replace("_", " ") for f in FOLLOW if not fields[f])


# ---- HTML --------------------------------------------------------------------------------


def build_report_html(reports: list[Report], sources: list[SourceData], version: str) -> str:
    """The whole page: every report a section, then the sources and `version`."""
    page = _Page(reports, _all_sources(reports, sources))
    return page.build(version)


class _Page:
    def __init__(self, reports: list[Report], sources: list[SourceData]) -> None:
        self.reports = reports
        self.sources = sources
        self.roles = reports[0].roles if reports else []
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

    def build(self, version: str) -> str:
        title = esc(_title(self.reports))
        self.w(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="color-scheme" content="light dark">\n',
            f'<meta name="generator" content="{esc(version)}">\n',
            '<link rel="icon" href="data:,">\n',
            f"<title>{title}</title>\n<style>{self.tag_width()}{_CSS}</style>\n</head>\n<body>\n",
        )
        self.w(f'<header>\n<h1>{title}</h1>\n<p class="lede">{esc(_LEDE)}</p>\n')
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
        self.w(f"<script>{_PRINT_JS}</script>\n</body>\n</html>\n")
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
            by = ", ".join(x for x in (src["author"], src["date"]) if x)
            self.w(
                f'<li id="src-{esc(src["id"])}"><p><b>{esc(src["publisher"])}</b>, '
                f"“{_link(src['url'], src['title'])}”{esc(', ' + by) if by else ''}.</p>"
            )
            if src["url"]:
                self.w(f'<p class="url">{_link(src["url"], src["url"])}</p>')
            fields: Mapping[str, object] = src
            facts = [(label, fields[key]) for label, key in _SOURCE_FIELDS if fields[key]]
            if _not_given(src):
                facts.append(("Not given", _not_given(src)))
            if facts:
                self.w("<dl>", *(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts), "</dl>")
            self.w("</li>\n")
        self.w("</ol>\n")
        if posting_line(self.sources):
            self.w(f'<p class="postings">{esc(posting_line(self.sources))}</p>\n')
        self.w(f'</section>\n<p class="version">Made with {esc(version)}.</p>\n</footer>\n')


_SOURCE_FIELDS = (
    ("Data from", "data_date"),
    ("Cite as", "citation"),
    ("Credit", "credit"),
    ("Changes", "modified"),
    ("Method", "method"),
    ("Sample", "sample"),
    ("Note", "note"),
)


def _short(role: RoleData) -> str:
    """What the lead column (and a narrow screen's bars) call a role: "MLE", as the table does."""
    return role["id"].upper() if len(role["id"]) <= 4 else role["name"]


def _colour(i: int) -> str:
    return f"r{i % 6}"


_PRINT_JS = (
    'addEventListener("beforeprint",function(){'
    'document.querySelectorAll("details").forEach(function(d){d.open=true})})'
)

_CSS = """
:root { color-scheme: light dark;
  --bg: #fff; --fg: #1b1b1f; --muted: #595960; --line: #d5d7dc; --track: #e9ecf1;
  --hatch: #a3a9b3; --link: #0b57d0;
  --c0: #1f5fd1; --c1: #c24f00; --c2: #08845a; --c3: #7d3bd6; --c4: #c0183a; --c5: #00788f; }
@media screen and (prefers-color-scheme: dark) { :root {
  --bg: #141517; --fg: #e9e9ec; --muted: #a8aab0; --line: #3b3e45; --track: #272a30;
  --hatch: #6c727c; --link: #8ab4f8;
  --c0: #6fa5ff; --c1: #ff9f4d; --c2: #3ed69a; --c3: #c29cff; --c4: #ff7d90; --c5: #4dd0ec; } }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 75rem; padding: 1rem clamp(.75rem, 3vw, 2rem) 2rem;
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: var(--bg); color: var(--fg); overflow-wrap: anywhere; }
a { color: var(--link); }
h1 { font-size: 1.7rem; line-height: 1.2; margin: .5rem 0; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 .5rem; padding-bottom: .25rem;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.75rem 0 .25rem; }
h4 { font-size: .95rem; margin: .75rem 0 .25rem; }
p { margin: .25rem 0; }
.lede { color: var(--muted); max-width: 50rem; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; padding: 0;
  margin: .75rem 0; font-weight: 600; }
.sw { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  background: var(--c); margin-right: .4em; vertical-align: -.05em; }
.r0 { --c: var(--c0); } .r1 { --c: var(--c1); } .r2 { --c: var(--c2); }
.r3 { --c: var(--c3); } .r4 { --c: var(--c4); } .r5 { --c: var(--c5); }
nav ol { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .5rem 0;
  list-style: none; }
.measure { color: var(--muted); font-style: italic; }
table.cmp { width: 100%; border-collapse: collapse; table-layout: fixed; margin: .5rem 0; }
.cmp th, .cmp td { padding: .45rem .5rem; border-top: 1px solid var(--line);
  vertical-align: top; text-align: left; }
.cmp thead th { border-top: 0; border-bottom: 2px solid var(--line); vertical-align: bottom; }
.cmp tbody th { font-weight: 600; }
col.c-label { width: 22%; }
col.c-lead { width: 8rem; }
.cmp ul, .shared ul, .notes { margin: .2rem 0; padding-left: 1.1rem; }
.cmp li { margin: .15rem 0; }
.ref { font-size: .8rem; font-weight: 400; text-decoration: none; white-space: nowrap; }
.meaning { display: block; font-weight: 400; font-size: .8rem; color: var(--muted); }
.fig { display: flex; align-items: center; gap: .5rem; min-height: 1.5rem; }
.track { flex: 1 1 auto; min-width: 3rem; height: 1.25rem; background: var(--track);
  border-radius: 3px; overflow: hidden; }
.fill { display: block; height: 100%; background: var(--c); }
.val { flex: none; min-width: 3.5em; text-align: right; font-variant-numeric: tabular-nums;
  font-weight: 600; }
.leader .val { font-weight: 800; }
.track.none { display: flex; align-items: center; justify-content: center;
  border: 1px dashed var(--hatch);
  background: repeating-linear-gradient(-45deg, transparent 0 5px, var(--track) 5px 10px); }
.n { font-size: .8rem; color: var(--muted); margin: 0; }
.nr { font-size: .8rem; font-style: italic; color: var(--muted); margin: 0; }
.lead { font-size: .9rem; white-space: nowrap; }
.tag { display: none; font-size: .8rem; color: var(--muted); font-weight: 600; }
.in { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: .75rem; }
.in > * { flex: 1 1 100%; }
.in > p.text, .in > details:not([open]) { flex: 0 1 auto; }
/* A bar's cell: [role, on a narrow screen] [bar and number] [Source, if the cell is wide] */
.bars .in { container-type: inline-size; display: grid; align-items: center;
  grid-template-columns: auto minmax(0, 1fr) 5.2rem; column-gap: 0; }
.bars .in > * { grid-column: 1 / -1; }
.bars .in > .tag { grid-column: 1; grid-row: 1; width: var(--tag); margin-right: .4rem; }
.bars .in > .fig { grid-column: 2 / -1; grid-row: 1; }
.bars .in > details:not([open]) { grid-column: 2 / -1; }
@container (min-width: 20rem) {
  .bars .in > .fig { grid-column: 2; }
  .bars .in > details:not([open]) { grid-column: 3; grid-row: 1; margin: 0 0 0 .6rem; }
}
details.src { font-size: .85rem; margin-top: .2rem; }
details.src summary { cursor: pointer; color: var(--link); width: max-content;
  max-width: 100%; }
blockquote { margin: .3rem 0; padding: .1rem 0 .1rem .6rem; border-left: 3px solid var(--line);
  white-space: pre-line; }
.by { color: var(--muted); }
.shared { margin: .5rem 0; }
.caveats { margin: .5rem 0; padding: .1rem .75rem; border-left: 4px solid var(--c1); }
.caveats ul { margin: .2rem 0; padding-left: 1.1rem; }
.shared li > div, .caveats li > div { display: flex; flex-wrap: wrap; align-items: baseline;
  column-gap: .75rem; }
.shared li details[open], .caveats li details[open] { flex-basis: 100%; }
.sources li { margin: .75rem 0; }
.sources dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem;
  margin: .25rem 0; font-size: .9rem; }
.sources dt { color: var(--muted); }
.sources dd { margin: 0; }
.version { color: var(--muted); font-size: .9rem; margin-top: 1.5rem; }
@media (max-width: 40rem) {
  .cmp, .cmp tbody, .cmp tr, .cmp th, .cmp td { display: block; width: auto; }
  .cmp thead, .cmp colgroup { display: none; }
  .cmp tr { border-top: 1px solid var(--line); padding: .5rem 0; }
  .cmp tr:first-child { border-top: 0; }
  .cmp th, .cmp td { border: 0; padding: .15rem 0; }
  .cmp tbody th { font-size: 1.05rem; }
  .tag { display: block; }
  .cmp tr.bars { display: grid; grid-template-columns: minmax(0, 1fr) auto; column-gap: .5rem; }
  .cmp tr.bars > * { grid-column: 1 / -1; }
  .cmp tr.bars > th { grid-column: 1; grid-row: 1; }
  .cmp tr.bars > .lead { grid-column: 2; grid-row: 1; align-self: center; }
  .lead:empty { display: none; }
  .sources dl { grid-template-columns: 1fr; }
}
@media print {
  :root { color-scheme: light; --bg: #fff; --fg: #000; --muted: #333; --line: #bbb;
    --track: #eee; --link: #000; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, summary { display: none; }
  details.src::details-content { content-visibility: visible; display: block; }
  h2, h3 { break-after: avoid; }
  .cmp tr, .sources li { break-inside: avoid; }
  .sw, .fill, .track { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .sources a[href^="http"]::after { content: " <" attr(href) ">"; }
}
"""
