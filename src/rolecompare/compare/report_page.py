"""The data of `rolecompare report`: every topic for the chosen roles in one Page.

The queries are the commands' own (compare/topics.py, compare/ladders.py, compare/plan.py);
render/html.py and render/markdown.py only draw the Page they return.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rolecompare import __version__
from rolecompare.compare.counted import no_n_once
from rolecompare.compare.ladders import career_paths
from rolecompare.compare.listings import FOLLOW
from rolecompare.compare.report import Page, Report
from rolecompare.compare.topics import compare

if TYPE_CHECKING:
    from rolecompare.kb.load import OpenedKB
    from rolecompare.kb.profiles import Profile
    from rolecompare.kb.types import KB, RoleData, SourceData

# The topics of a report, in the order the page shows them (commands of the CLI).
TOPICS = ("skills", "tools", "education", "salary", "path", "summary", "work")


def report_page(
    kb: KB, roles: list[RoleData], profiles: list[Profile] | None = None, version: str = ""
) -> Page:
    """The report of every topic for these roles, in TOPICS order; for two roles, then
    the plan for moving from the first to the second (rolecompare plan --from A --to B),
    with the shares of the posting profiles given, its section ids made page-unique."""
    reports = [
        career_paths(kb, roles) if command == "path" else compare(kb, command, roles)
        for command in TOPICS
    ]
    no_n_once(reports)
    if len(roles) == 2:
        from rolecompare.compare.plan import plan

        # Its sections reuse the topics' ids: "plan-" keeps them unique on the page.
        reports.append(plan(kb, roles[1], roles[0], [], profiles, id_prefix="plan-"))
    sources = _all_sources(reports, kb["sources"])
    not_given = {s["id"]: _not_given(s) for s in sources}
    shown = reports[0].roles if reports else []
    title = " vs ".join(r["name"] for r in shown) or "rolecompare report"
    return Page(title, shown, reports, sources, not_given, version)


def version_text(opened: OpenedKB) -> str:
    """'rolecompare 0.1.0; knowledge base "data", digest 1a2b3c4d5e6f7a8b' for the page's
    footer: which KB folder the page was made from, and the cache key that open_kb
    computed for its files as they stood (kb.load.cache_key: their paths, sizes, times).
    A KB read the careful way has no such key: its files' content is checksummed."""
    from rolecompare.kb.files import resolve_kb_dir

    root = opened.root or resolve_kb_dir(None)
    digest = opened.key
    if digest is None:
        from rolecompare.kb.cache import key_for
        from rolecompare.kb.files import read_kb_files

        files, _ = read_kb_files(root)
        digest = key_for((f.rel, f.data) for f in files)
    return f'rolecompare {__version__}; knowledge base "{root.name}", digest {digest}'


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


def _not_given(src: SourceData) -> str:
    """What the source does not give of what a reader needs to follow it: "url, author"."""
    fields: Mapping[str, object] = src
    return ", ".join(f.replace("_", " ") for f in FOLLOW if not fields[f])
