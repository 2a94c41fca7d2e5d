"""The commands about the KB itself: the seven comparisons (one factory), the listings,
validate, verify and report; and what every command uses to open the KB and show a report.

Each command is a function that parses nothing itself, runs a query and hands its report
to a renderer; cli.table lists them. Rich and pydantic are imported only inside the
commands that need them, so that --help and completion start fast.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from rolecompare.cli.options import (
    DetailsOption,
    FormatOption,
    KBOption,
    PagerOption,
    ReportFormatOption,
    RolesOption,
)
from rolecompare.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from rolecompare.compare.report import Listing, Report
    from rolecompare.kb.load import OpenedKB
    from rolecompare.kb.profiles import Profile
    from rolecompare.kb.types import KB, RoleData


def open_chosen(ctx: typer.Context, kb: str | None) -> "OpenedKB":
    """The KB that --kb names (after the command, or before it), validated."""
    from rolecompare.kb.load import open_kb

    chosen: str | None = kb or ctx.obj
    return open_kb(chosen)


def load(
    ctx: typer.Context,
    kb: str | None,
    roles: list[str] | None,
    every_term: bool = False,
    opened: "OpenedKB | None" = None,
) -> "tuple[KB, list[RoleData]]":
    """The KB and the roles --roles names, resolved once; only their facts are read, and
    only the terms those name unless every_term (to match what a user says they have).
    opened: the KB, if the command has opened it already."""
    from rolecompare.compare.roles import select_roles

    opened = opened or open_chosen(ctx, kb)
    chosen = select_roles(opened.base["roles"], None if roles is None else ",".join(roles))
    return opened.load({r["id"] for r in chosen}, every_term), chosen


def profiles(ctx: typer.Context, kb: str | None, data: "KB") -> "list[Profile]":
    """The posting profiles of the KB that --kb names (data: it, loaded with every term)."""
    from rolecompare.kb.files import resolve_kb_dir
    from rolecompare.kb.profiles import load_profiles

    return load_profiles(data, resolve_kb_dir(kb or ctx.obj))


def emit(
    report: "Report | Listing", fmt: str, details: bool = False, no_pager: bool = False
) -> None:
    from rolecompare.render import emit as render

    render(report, fmt, details=details, pager=not no_pager)


def _comparison_report(command: str, data: "KB", chosen: "list[RoleData]") -> "Report":
    if command == "path":
        from rolecompare.compare.ladders import career_paths

        return career_paths(data, chosen)
    from rolecompare.compare.topics import compare

    return compare(data, command, chosen)


def comparison(command: str, doc: str) -> "Callable[..., None]":
    """The command that shows one comparison of the chosen roles (path: their ladders)."""

    def run(
        ctx: typer.Context,
        roles: RolesOption = None,
        fmt: FormatOption = "table",
        details: DetailsOption = False,
        no_pager: PagerOption = False,
        kb: KBOption = None,
    ) -> None:
        data, chosen = load(ctx, kb, roles)
        emit(_comparison_report(command, data, chosen), fmt, details, no_pager)

    run.__name__ = run.__qualname__ = command
    run.__doc__ = doc
    return run


COMPARISONS = {
    "skills": """Languages, AI and job-specific skills in job postings.

    Example: rolecompare skills --roles ds,mle --format json
    """,
    "tools": """AI tools, ML methods, cloud skills and each role's toolset.

    Example: rolecompare tools --roles mle
    """,
    "education": """Degrees (% of postings that mention them) and backgrounds.

    Example: rolecompare education --format markdown
    """,
    "salary": """Pay: which role leads on each measure, and what each means.

    A share of postings above a threshold is not an average salary; each row says
    which it is.

    Example: rolecompare salary --format csv
    """,
    "path": """Career ladders side by side, under their sources.

    Example: rolecompare path --role mle
    """,
    "summary": """The key differences, one row per aspect.

    Example: rolecompare summary
    """,
    "work": """What the work is: tasks, impact, environment, colleagues.

    Example: rolecompare work --roles ds
    """,
}

SearchOption = Annotated[
    str | None,
    typer.Option(
        "--search",
        metavar="WORDS",
        help="Only the roles whose names or titles share the most words with WORDS.",
    ),
]


def roles_(
    ctx: typer.Context,
    search: SearchOption = None,
    fmt: FormatOption = "table",
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """The roles in the KB: ids, names, aliases and codes.

    With --search, the roles whose id, name, an alias or an alternate title (an
    O*NET KB's) share the most words with WORDS (plurals as singulars), at least half.

    Example: rolecompare roles --search "software developer"
    """
    from rolecompare.compare.listings import list_roles
    from rolecompare.compare.roles import other_titles, search_roles

    opened = open_chosen(ctx, kb)
    roles = opened.base["roles"]
    if search is not None:  # names, aliases and the alternate titles of the KB's facts
        titles = other_titles(opened.load(None, every_term=False)["statements"])
        roles = search_roles(roles, search, titles)
    emit(list_roles(roles), fmt, no_pager=no_pager)


def sources(
    ctx: typer.Context,
    fmt: FormatOption = "table",
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """The sources behind every fact, with their credits.

    Example: rolecompare sources
    """
    from rolecompare.compare.listings import list_sources

    emit(list_sources(open_chosen(ctx, kb).base["sources"]), fmt, no_pager=no_pager)


KBPathArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[PATH]", help="KB directory (default: --kb, ROLECOMPARE_KB, or the bundled KB)."
    ),
]


def validate(ctx: typer.Context, path: KBPathArgument = None, kb: KBOption = None) -> None:
    """Check a KB folder and report every problem; exit 1 if any.

    Example: rolecompare validate
    """
    from rolecompare.kb.files import resolve_kb_dir
    from rolecompare.kb.load import validate_dir
    from rolecompare.kb.profiles import load_profiles
    from rolecompare.text import shown_path

    if path is not None and kb is not None and path != kb:
        raise UsageError("give the KB folder once: as PATH or as --kb")
    chosen = path or kb or ctx.obj
    root = resolve_kb_dir(chosen)
    data = validate_dir(root)
    load_profiles(data, root)  # the posting profiles, checked against the KB
    counts = ", ".join(
        f"{len(data[k])} {k if len(data[k]) != 1 else k[:-1]}"
        for k in ("roles", "sources", "figures", "statements", "ladders")
    )
    where = shown_path(root) if chosen else "the bundled KB"
    print(f"{where}: valid ({counts})")


SourcesOption = Annotated[
    str,
    typer.Option(
        "--sources",
        metavar="DIR",
        help="The folder that holds your copies of "
        "the sources (each source's `document` is a path inside it).",
    ),
]


def verify(ctx: typer.Context, sources: SourcesOption, kb: KBOption = None) -> None:
    """Re-check every quote, record and number against the sources.

    Exit 1, with one line per mismatch, if anything differs.

    DIR holds each source's document: for this repository, ../shared

    \b
        rolecompare verify --sources ../shared
    """
    from pathlib import Path

    from rolecompare.errors import KBError
    from rolecompare.kb.files import resolve_kb_dir
    from rolecompare.kb.verify import verify_kb_dir
    from rolecompare.text import shown_path

    chosen = kb or ctx.obj
    root = resolve_kb_dir(chosen)
    open_chosen(ctx, kb)  # a KB must be valid before its facts are worth checking
    problems = verify_kb_dir(root, Path(sources))
    if problems:
        raise KBError(problems)
    where = shown_path(root) if chosen else "the bundled KB"
    print(f"{where}: every quote, record and number matches {shown_path(sources)}")


ReportOutOption = Annotated[
    str | None,
    typer.Option(
        "--out",
        "-o",
        metavar="FILE",
        help="Where to write it; - for standard output.",
        show_default="rolecompare-report.html, or .md with --format markdown",
    ),
]


def report(
    ctx: typer.Context,
    roles: RolesOption = None,
    out: ReportOutOption = None,
    fmt: ReportFormatOption = "html",
    kb: KBOption = None,
) -> None:
    """Every topic in one file to share, as HTML or markdown.

    Example: rolecompare report --out comparison.html
    """
    import sys
    from pathlib import Path

    from rolecompare.atomic import write_file
    from rolecompare.compare.report_page import report_page, version_text
    from rolecompare.text import shown_path

    if out == "":
        raise UsageError("--out is empty; give a file name, or - for standard output")
    opened = open_chosen(ctx, kb)
    data, chosen = load(ctx, kb, roles, every_term=True, opened=opened)
    measured = profiles(ctx, kb, data) if len(chosen) == 2 else []  # for its plan
    shown = report_page(data, chosen, measured, version_text(opened))
    if fmt == "html":
        from rolecompare.render.html import build_report_html

        page = build_report_html(shown)
    else:
        from rolecompare.render.markdown import page_markdown

        page = page_markdown(shown)
    out = out or f"rolecompare-report.{'html' if fmt == 'html' else 'md'}"
    if out == "-":
        sys.stdout.write(page)
        return
    encoded = page.encode()
    write_file(Path(out), encoded)
    print(f"wrote {shown_path(out)} ({len(encoded) // 1024} KB)", file=sys.stderr)
