"""The command line: parse arguments, run a query, hand its report to a renderer.

Commands are registered the documented Typer way and stay a few lines each. A run
that names a command builds only that one (app_for); Rich and pydantic are imported
only by the commands that need them, so --help and completion start fast (README,
"Performance").
"""

import os
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from rolecompare import __version__
from rolecompare.errors import UsageError
from rolecompare.main import resume_collector
from rolecompare.render import FORMATS

if TYPE_CHECKING:
    from collections.abc import Callable

    from rolecompare.compare.report import Listing, Report
    from rolecompare.kb.data import KB, RoleData
    from rolecompare.kb.load import OpenedKB

F = TypeVar("F", bound="Callable[..., Any]")
CONTEXT = {"help_option_names": ["-h", "--help"]}
KB_HELP = "Use the KB in this directory instead of the bundled one."


def _typer() -> typer.Typer:
    return typer.Typer(
        name="rolecompare",
        help="Compare data careers side by side, from a knowledge base of sourced facts.",
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        add_completion=True,
        context_settings=CONTEXT,
    )


app = _typer()  # the whole command line
# Each command's function by name, and each group's app, as registered on `app`.
COMMANDS: "dict[str, Callable[..., None]]" = {}
GROUPS: dict[str, typer.Typer] = {}


def command(name: str | None = None) -> "Callable[[F], F]":
    """Register a command on the app, as @app.command() does, and keep it by name."""

    def register(func: F) -> F:
        COMMANDS[name or func.__name__.replace("_", "-")] = func
        return app.command(name, context_settings=CONTEXT)(func)

    return register


def app_for(args: list[str]) -> typer.Typer:
    """The app to run args with: when they run one command, an app of that command alone.

    Typer builds every command's parameters on each run (~7 ms for all of them, ~1 ms
    for one), so a run of `skills` builds only `skills`. Anything else (no command, a
    mistyped one, help or completion asked of the whole program) gets the whole app.
    """
    completing = "_ROLECOMPARE_COMPLETE" in os.environ
    if completing:
        from rolecompare.completion import settle_shell_words

        settle_shell_words()
    name = _command_name(_words_before_cursor() if completing else args)
    if name not in COMMANDS and name not in GROUPS:
        return app
    one = _typer()
    one.callback()(_main)
    if name in GROUPS:
        one.add_typer(GROUPS[name])
    else:
        one.command(name, context_settings=CONTEXT)(COMMANDS[name])
    return one


def _words_before_cursor() -> list[str]:
    """In shell completion, the words before the one being completed, as the shell gives
    them (COMP_WORDS, and COMP_CWORD where it is the word's index), without the program."""
    import shlex

    line = os.environ.get("COMP_WORDS", "")
    try:
        words = shlex.split(line)
    except ValueError:  # an unclosed quote: leave it to the whole app
        return []
    from rolecompare.completion import is_word_index

    cword = os.environ.get("COMP_CWORD", "")
    if is_word_index(cword):  # bash and zsh
        return words[1 : int(cword)]
    return words[1:] if line[-1:].isspace() else words[1:-1]  # fish: COMP_CWORD is the word


def _command_name(args: list[str]) -> str | None:
    """The command that args run, after the program's own options, or None."""
    rest = iter(args)
    for arg in rest:
        if arg == "--kb":
            next(rest, None)  # its value
        elif arg in ("-h", "--help", "--install-completion", "--show-completion"):
            return None  # about the whole program
        elif not arg.startswith("-"):
            return arg
    return None


def _version(value: bool) -> None:
    if value:
        print(f"rolecompare {__version__}")
        raise typer.Exit()


def complete_roles(ctx: typer.Context, incomplete: str) -> list[str]:
    """Role ids for shell completion, read straight from the KB's role files."""
    from rolecompare.completion import role_ids

    kb_dir = ctx.params.get("kb") or (ctx.parent.params.get("kb") if ctx.parent else None)
    head, _, last = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    taken = set(head.split(",")) if head else set()
    return [prefix + rid for rid in role_ids(kb_dir) if rid.startswith(last) and rid not in taken]


def complete_formats(incomplete: str) -> list[str]:
    return [name for name in FORMATS if name.startswith(incomplete.lower())]


def _format(value: str) -> str:
    from rolecompare.render import format_name
    from rolecompare.text import shown

    name = format_name(value)
    if name is None:
        raise typer.BadParameter(f"'{shown(value)}' is not one of {', '.join(map(repr, FORMATS))}")
    return name


KBOption = Annotated[
    str | None,
    typer.Option("--kb", metavar="PATH", envvar="ROLECOMPARE_KB", show_envvar=True, help=KB_HELP),
]
RolesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--roles",
        "--role",
        "-r",
        metavar="ROLES",
        autocompletion=complete_roles,
        help="Roles by id, name or alias, comma-separated or repeated, in the order "
        "to show them (default: every role in the KB).",
    ),
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar=f"[{'|'.join(FORMATS)}]",
        callback=_format,
        autocompletion=complete_formats,
        help="Output format: a table for people, json/csv/markdown for scripts and "
        "documents, svg for a picture of the table (any case; md for markdown).",
    ),
]
DetailsOption = Annotated[
    bool,
    typer.Option("--details", "-d", help="Show every statement in full, not one line each."),
]
PagerOption = Annotated[
    bool,
    typer.Option("--no-pager", help="Print straight to the terminal, not through PAGER."),
]


@app.callback()
def _main(
    ctx: typer.Context,
    kb: KBOption = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Compare data careers side by side, from a knowledge base of sourced facts.

    Every figure comes from a published source with a verbatim quote or data
    record; what a source does not report shows as "—", never as 0.
    """
    ctx.obj = kb  # the KB folder the commands use unless they are given --kb themselves
    resume_collector()


def _open(ctx: typer.Context, kb: str | None) -> "OpenedKB":
    """The KB that --kb names (after the command, or before it), validated."""
    from rolecompare.kb.load import open_kb

    chosen: str | None = kb or ctx.obj
    return open_kb(chosen)


def _load(
    ctx: typer.Context, kb: str | None, roles: list[str] | None, every_term: bool = False
) -> "tuple[KB, list[RoleData]]":
    """The KB and the roles --roles names, resolved once; only their facts are read, and
    only the terms those name unless every_term (to match what a user says they have)."""
    from rolecompare.compare.roles import select_roles

    opened = _open(ctx, kb)
    chosen = select_roles(opened.base["roles"], None if roles is None else ",".join(roles))
    return opened.load({r["id"] for r in chosen}, every_term), chosen


def _emit(
    report: "Report | Listing", fmt: str, details: bool = False, no_pager: bool = False
) -> None:
    from rolecompare.render import emit

    emit(report, fmt, details=details, pager=not no_pager)


def _compare(
    ctx: typer.Context,
    command: str,
    kb: str | None,
    roles: list[str] | None,
    fmt: str,
    details: bool,
    no_pager: bool,
) -> None:
    from rolecompare.compare.topics import compare

    data, chosen = _load(ctx, kb, roles)
    _emit(compare(data, command, chosen), fmt, details, no_pager)


@command()
def skills(
    ctx: typer.Context,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    details: DetailsOption = False,
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """Languages, AI and job-specific skills in job postings.

    Example: rolecompare skills --roles ds,mle --format json
    """
    _compare(ctx, "skills", kb, roles, fmt, details, no_pager)


@command()
def tools(
    ctx: typer.Context,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    details: DetailsOption = False,
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """AI tools, ML methods, cloud skills and each role's toolset.

    Example: rolecompare tools --roles mle
    """
    _compare(ctx, "tools", kb, roles, fmt, details, no_pager)


@command()
def education(
    ctx: typer.Context,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    details: DetailsOption = False,
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """Degrees (% of postings that mention them) and backgrounds.

    Example: rolecompare education --format markdown
    """
    _compare(ctx, "education", kb, roles, fmt, details, no_pager)


@command()
def salary(
    ctx: typer.Context,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    details: DetailsOption = False,
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """Pay: which role leads on each measure, and what each means.

    A share of postings above a threshold is not an average salary; each row says
    which it is.

    Example: rolecompare salary --format csv
    """
    _compare(ctx, "salary", kb, roles, fmt, details, no_pager)


@command()
def path(
    ctx: typer.Context,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    details: DetailsOption = False,
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """Career ladders side by side, under their sources.

    Example: rolecompare path --role mle
    """
    from rolecompare.compare.paths import career_paths

    data, chosen = _load(ctx, kb, roles)
    _emit(career_paths(data, chosen), fmt, details, no_pager)


@command()
def summary(
    ctx: typer.Context,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    details: DetailsOption = False,
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """The key differences, one row per aspect.

    Example: rolecompare summary
    """
    _compare(ctx, "summary", kb, roles, fmt, details, no_pager)


@command()
def work(
    ctx: typer.Context,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    details: DetailsOption = False,
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """What the work is: tasks, impact, environment, colleagues.

    Example: rolecompare work --roles ds
    """
    _compare(ctx, "work", kb, roles, fmt, details, no_pager)


def complete_have(ctx: typer.Context, incomplete: str) -> list[str]:
    """Skill, tool and degree names for shell completion, read straight from the vocabulary."""
    from rolecompare.completion import term_names

    kb_dir = ctx.params.get("kb") or (ctx.parent.params.get("kb") if ctx.parent else None)
    head, _, last = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    last = last.lstrip().casefold()
    return [prefix + name for name in term_names(kb_dir) if name.casefold().startswith(last)]


HaveOption = Annotated[
    list[str] | None,
    typer.Option(
        "--have",
        metavar="SKILLS",
        autocompletion=complete_have,
        help="Skills, tools and degrees you have, separated by commas or spaces, or "
        'repeated (e.g. --have "python sql" --have "deep learning"). Case and spacing '
        "don't matter; aliases such as k8s work; `fit --list` shows every name.",
    ),
]


FileOption = Annotated[
    str | None,
    typer.Option(
        "--file",
        metavar="PATH",
        help="Also read the skills, tools and degrees a text names: a CV, a posting, "
        "any text file (UTF-8), or - for standard input.",
    ),
]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict", help="Make a --have word that names nothing an error (exit 2), not a warning."
    ),
]


def _words(
    data: "KB", have: list[str] | None, file: str | None, strict: bool
) -> tuple[list[Any], list[str]]:
    """The words of --have and --file, and a warning per --have word not recognised (for
    stderr after the output, where a pager leaves it in sight)."""
    from rolecompare.compare import fit as fitting

    names = fitting.parse_have(have, text_too=file is not None)
    text = None
    if file is not None:
        from rolecompare.textfile import read_text

        text = read_text(file)
    return fitting.gather_words(data, names, text, strict)


def _warn(lines: list[str]) -> None:
    if lines:
        from rolecompare.main import error

        error("\n".join(lines))


@command()
def fit(
    ctx: typer.Context,
    have: HaveOption = None,
    file: FileOption = None,
    strict: StrictOption = False,
    list_: Annotated[
        bool, typer.Option("--list", help="List every skill, tool and degree --have knows.")
    ] = False,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """Score each role by how much of what it asks for you have.

    Each role's 100 points are shared out among the skills, tools and degrees its
    postings ask for: each weighs its posting-mention share (Python at 77.4%
    weighs 0.774); one named only in a role's job-specific skills, toolsets or
    education statements weighs 0.25. Your score is the points of what you have:
    100 × weight you have / weight of all the role's items. A word that names a
    skill and a degree (statistics, math, ML) counts for both; "statistics degree"
    only for the degree. "Learn next" ranks the missing skills and tools by the
    points they would add; degrees are listed apart.

    --file reads the skills, tools and degrees a CV or any text names, beside --have.
    A --have word that names nothing is a warning, and the rest is scored (--strict
    makes it an error).

    Example: rolecompare fit --have python,sql,statistics
    """
    from rolecompare.compare import fit as fitting

    if list_ or have == ["list"]:
        _emit(fitting.term_list(_open(ctx, kb).load(set())), fmt, no_pager=no_pager)
        return
    fitting.parse_have(have, text_too=file is not None)  # a usage error before the KB loads
    data, chosen = _load(ctx, kb, roles, every_term=True)
    words, warnings = _words(data, have, file, strict)
    fits = fitting.score_roles(data, chosen, fitting.have_ids(words))
    _emit(fitting.fit_report(data, fits, chosen, words), fmt, no_pager=no_pager)
    _warn(warnings)


@command()
def plan(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to", metavar="ROLE", autocompletion=complete_roles, help="The role you aim for."
        ),
    ],
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="ROLE",
            autocompletion=complete_roles,
            help="The role you have now: show what changes, and your strengths.",
        ),
    ] = None,
    have: HaveOption = None,
    file: FileOption = None,
    strict: StrictOption = False,
    fmt: FormatOption = "table",
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """What a role's postings ask for, most common first, and what changes from your role.

    With --to alone: every skill, tool and degree the sources say postings ask of
    the role, measured items by share, then items named only in the sources' text.
    With --from: what the target's postings ask for more often (both shares and the
    gap), what only the target's sources name, the sources' advice on the move, and
    where your current role already leads. --have leaves out what you have, and so
    does --file: what a CV or any text names.

    Example: rolecompare plan --from ds --to mle
    """
    from rolecompare.compare import plan as planning

    opened = _open(ctx, kb)
    target, current = planning.plan_roles(opened.base["roles"], to, from_)
    given = bool(have) or file is not None
    data = opened.load({target["id"], *([current["id"]] if current else [])}, given)
    words, warnings = _words(data, have, file, strict) if given else ([], [])
    _emit(planning.plan(data, target, current, words), fmt, no_pager=no_pager)
    _warn(warnings)


@command()
def check(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help="The draft: a text file (UTF-8), or - for standard input."
        ),
    ],
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            "-r",
            metavar="ROLE",
            autocompletion=complete_roles,
            help="Compare with this role's postings (default: the role the draft reads like).",
        ),
    ] = None,
    fmt: FormatOption = "table",
    details: DetailsOption = False,
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """A job-posting draft against real postings: what it asks, leaves out, pays.

    Reads the skills, tools, degrees and salary range a draft names (the same reader
    as fit --file), and shows each item's share of the role's postings in every
    analysis that measures it, the most-asked items it leaves out, what under 10% of
    the role's postings ask, which role it reads like (within each analysis, the
    items whose shares differ most between roles) and whether its title agrees, its
    degrees and pay against the postings', and what it could not read. Words it does
    not know are no error. --details adds k of N and each 95% interval.

    Example: rolecompare check draft.txt --role mle
    """
    from rolecompare.compare.check_report import check_report
    from rolecompare.compare.roles import pick_roles
    from rolecompare.errors import RoleCompareError
    from rolecompare.text import shown_path
    from rolecompare.textfile import read_text

    if file == "":
        raise UsageError("FILE is empty; give a file name, or - for standard input")
    text = read_text(file)
    if not text.strip():
        name = "standard input" if file == "-" else shown_path(file)
        raise RoleCompareError(f"{name}: empty: no text to check")
    opened = _open(ctx, kb)
    roles = opened.base["roles"]
    given = None
    if role is not None:
        picked = pick_roles(roles, role)
        if len(picked) != 1:
            raise UsageError(
                "--role takes one role; check compares a draft with one role's postings"
            )
        given = picked[0]
    data = opened.load({r["id"] for r in roles}, True)
    from rolecompare.kb.files import resolve_kb_dir
    from rolecompare.kb.profiles import load_profiles

    profiles = load_profiles(data, resolve_kb_dir(kb or ctx.obj))
    _emit(check_report(data, text, roles, given, profiles), fmt, details, no_pager)


@command()
def quiz(
    ctx: typer.Context,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="N,N,...",
            help="Answer every question at once, 1 (strongly disagree) to 5 "
            "(strongly agree), in the order `--answers list` shows.",
        ),
    ] = None,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """Which role is right for you? Rate statements from 1 to 5.

    Asks one statement at a time on a terminal; in scripts give --answers.
    `--answers list` lists the questions in order, in the chosen format.

    Example: rolecompare quiz --answers list
    """
    from rolecompare.compare import quiz as q

    data, chosen = _load(ctx, kb, roles)
    asked = q.questions(data, chosen)
    if answers == "list":
        _emit(q.question_list(asked), fmt, no_pager=no_pager)
        return
    given = q.parse_answers(answers, len(asked)) if answers is not None else q.ask(asked)
    results = q.score(asked, given, chosen)
    _emit(q.quiz_report(data, results, q.leaning(results), chosen), fmt, no_pager=no_pager)


@command("roles")
def roles_(
    ctx: typer.Context,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            metavar="WORDS",
            help="Only the roles whose names or titles share the most words with WORDS.",
        ),
    ] = None,
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

    opened = _open(ctx, kb)
    roles = opened.base["roles"]
    if search is not None:  # names, aliases and the alternate titles of the KB's facts
        titles = other_titles(opened.load(None, every_term=False)["statements"])
        roles = search_roles(roles, search, titles)
    _emit(list_roles(roles), fmt, no_pager=no_pager)


@command()
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

    _emit(list_sources(_open(ctx, kb).base["sources"]), fmt, no_pager=no_pager)


@command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(
            metavar="[PATH]",
            help="KB directory (default: --kb, ROLECOMPARE_KB, or the bundled KB).",
        ),
    ] = None,
    kb: KBOption = None,
) -> None:
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


@command()
def verify(
    ctx: typer.Context,
    sources: Annotated[
        str,
        typer.Option(
            "--sources",
            metavar="DIR",
            help="The folder that holds your copies of "
            "the sources (each source's `document` is a path inside it).",
        ),
    ],
    kb: KBOption = None,
) -> None:
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
    _open(ctx, kb)  # a KB must be valid before its facts are worth checking
    problems = verify_kb_dir(root, Path(sources))
    if problems:
        raise KBError(problems)
    where = shown_path(root) if chosen else "the bundled KB"
    print(f"{where}: every quote, record and number matches {shown_path(sources)}")


REPORT_FORMATS = ("html", "markdown")


def _report_format(value: str) -> str:
    from rolecompare.render import ALIASES
    from rolecompare.text import shown

    name = ALIASES.get(value.strip().lower(), value.strip().lower())
    if name not in REPORT_FORMATS:
        choices = ", ".join(map(repr, REPORT_FORMATS))
        raise typer.BadParameter(f"'{shown(value)}' is not one of {choices}")
    return name


@command()
def report(
    ctx: typer.Context,
    roles: RolesOption = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Where to write it; - for standard output.",
            show_default="rolecompare-report.html, or .md with --format markdown",
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="[html|markdown]",
            callback=_report_format,
            help="One self-contained HTML page with charts, or one markdown file.",
        ),
    ] = "html",
    kb: KBOption = None,
) -> None:
    """Every topic in one file to share, as HTML or markdown.

    Example: rolecompare report --out comparison.html
    """
    import sys
    from pathlib import Path

    from rolecompare.atomic import write_file
    from rolecompare.render import html
    from rolecompare.text import shown_path

    if out == "":
        raise UsageError("--out is empty; give a file name, or - for standard output")
    data, chosen = _load(ctx, kb, roles)
    reports = html.report_data(data, chosen)
    build = html.build_report_html if fmt == "html" else html.build_report_markdown
    page = build(reports, data["sources"], html.version_text(kb or ctx.obj))
    out = out or f"rolecompare-report.{'html' if fmt == 'html' else 'md'}"
    if out == "-":
        sys.stdout.write(page)
        return
    encoded = page.encode()
    write_file(Path(out), encoded)
    print(f"wrote {shown_path(out)} ({len(encoded) // 1024} KB)", file=sys.stderr)


import_app = typer.Typer(
    name="import",
    help="Make a KB folder from official data.",
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings=CONTEXT,
)
app.add_typer(import_app)
GROUPS["import"] = import_app


@import_app.command("onet", context_settings=CONTEXT)
def import_onet(
    db_dir: Annotated[
        str, typer.Argument(metavar="DB_DIR", help="A folder of the O*NET database's text files.")
    ],
    out: Annotated[
        str, typer.Option("--out", "-o", metavar="KB_DIR", help="The KB folder to write.")
    ],
    occupations: Annotated[
        str | None,
        typer.Option(
            "--occupations",
            metavar="CODES",
            help="Comma-separated O*NET-SOC codes, e.g. 15-2051.00,15-1221.00.",
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every occupation in the database.")] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace KB_DIR if it holds a KB and nothing else (its KB files are deleted).",
        ),
    ] = False,
) -> None:
    """Write a KB of O*NET occupations, each fact with its record.

    DB_DIR is a folder of the O*NET database's text files (db_29_2_text). Then compare
    any two occupations by code:

    \b
        rolecompare import onet DB_DIR --out my-kb \\
            --occupations 15-2051.00,15-1221.00
        rolecompare --kb my-kb tools \\
            --roles 15-2051.00,15-1221.00
    """
    import sys
    from pathlib import Path

    from rolecompare.importers.onet import import_onet as run_import
    from rolecompare.text import shown_path

    if all_ == (occupations is not None):
        raise UsageError("give --occupations CODE,CODE,... or --all (one of the two)")
    codes = None if all_ else [c.strip() for c in (occupations or "").split(",")]
    if out == "":
        raise UsageError("--out is empty; give the KB folder to write")
    summary = run_import(Path(db_dir), Path(out), codes, force=force)
    print(summary.describe(), file=sys.stderr)
    if summary.kept is not None:
        print(
            f"kept {shown_path(summary.kept)}: what the replaced KB held that is not a KB file",
            file=sys.stderr,
        )


ColumnOption = Annotated[str | None, typer.Option(metavar="COLUMN")]


@import_app.command("postings", context_settings=CONTEXT)
def import_postings(
    ctx: typer.Context,
    files: Annotated[
        list[str],
        typer.Argument(metavar="FILE...", help="Postings: CSV, gzip'd CSV, JSON Lines or Parquet."),
    ],
    out: Annotated[
        str, typer.Option("--out", "-o", metavar="KB_DIR", help="The KB folder to write.")
    ],
    title: Annotated[str | None, typer.Option(metavar="COLUMN", help="The title column.")] = None,
    skills: Annotated[
        str | None,
        typer.Option(metavar="COLUMN", help="A list of skills: JSON, a Python list, | or ,."),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(metavar="COLUMN", help="Free text (a description): terms it names count too."),
    ] = None,
    salary: Annotated[
        str | None, typer.Option(metavar="COLUMN", help="Annual pay (a number).")
    ] = None,
    date: Annotated[str | None, typer.Option(metavar="COLUMN", help="The date posted.")] = None,
    id_: Annotated[
        str | None, typer.Option("--id", metavar="COLUMN", help="A posting's id.")
    ] = None,
    label: Annotated[
        str | None,
        typer.Option(
            metavar="COLUMN", help="Take roles from this column (same word rules as titles)."
        ),
    ] = None,
    country: Annotated[
        str | None, typer.Option(metavar="COLUMN", help="The country, for pay.")
    ] = None,
    level: Annotated[
        str | None, typer.Option(metavar="COLUMN", help="The experience level, for pay.")
    ] = None,
    pay_from: Annotated[
        str | None,
        typer.Option(metavar="IDS", help="Count pay only from these analyses (their source ids)."),
    ] = None,
    no_levels: Annotated[
        bool, typer.Option("--no-levels", help="Pay of every level only, not of each level.")
    ] = False,
    terms: Annotated[
        str | None,
        typer.Option(metavar="IDS", help="Only these vocabulary terms (comma-separated ids)."),
    ] = None,
    in_country: Annotated[
        str | None, typer.Option(metavar="VALUE", help="Pay within this country only.")
    ] = None,
    in_year: Annotated[
        str | None, typer.Option(metavar="VALUE", help="Pay within this year only.")
    ] = None,
    survey: Annotated[
        bool, typer.Option("--survey", help="The pay is self-reported (a survey), not posted.")
    ] = False,
    sources_root: Annotated[
        str | None,
        typer.Option(
            metavar="DIR", help="Record each FILE's path relative to DIR (for verify --sources)."
        ),
    ] = None,
    unknown: Annotated[
        int,
        typer.Option(
            metavar="N", min=0, help="List the N most frequent skills not in the vocabulary."
        ),
    ] = 0,
    force: Annotated[
        bool, typer.Option("--force", help="Replace KB_DIR if it holds a KB and nothing else.")
    ] = False,
    kb: KBOption = None,
) -> None:
    """Count what each role's postings ask for: N, k and a 95% interval per term.

    Roles come from each posting's title (README, "Counting postings"); every file
    becomes one source of the KB written, each figure with its file's sha256.

    \b
        rolecompare import postings postings.csv --out my-kb
        rolecompare --kb my-kb skills
    """
    import sys
    from pathlib import Path

    from rolecompare.importers.postings import Options
    from rolecompare.importers.postings import import_postings as run_import
    from rolecompare.text import shown

    if out == "":
        raise UsageError("--out is empty; give the KB folder to write")
    given = {
        "title": title,
        "skills": skills,
        "text": text,
        "salary": salary,
        "date": date,
        "id": id_,
        "label": label,
        "country": country,
        "level": level,
    }
    data, _ = _load(ctx, kb, None, every_term=True)
    options = Options(
        columns={k: v for k, v in given.items() if v is not None},
        terms=None if terms is None else [t.strip() for t in terms.split(",") if t.strip()],
        country=in_country,
        year=in_year,
        survey=survey,
        sources_root=None if sources_root is None else Path(sources_root),
        unknown=unknown,
        levels=not no_levels,
        pay_from=None if pay_from is None else [p.strip() for p in pay_from.split(",")],
    )
    known = {t["id"] for t in data["terms"]}
    for t in options.terms or []:
        if t not in known:
            raise UsageError(f"--terms: '{shown(t)}' is not a term of the KB")
    summary = run_import([Path(f) for f in files], Path(out), data, options, force=force)
    for line in summary.describe():
        print(line, file=sys.stderr)
    for a in summary.analyses:
        for name, n in a.unknown:
            print(f"{n}\t{shown(name)}\t{a.dataset.id}")


# A command's summary in `rolecompare --help` is its docstring's first line, whole:
# Click would cut one it computes itself with "..." to fit, even when it could wrap.
for _info in app.registered_commands:
    if _info.short_help is None and _info.callback is not None and _info.callback.__doc__:
        _info.short_help = _info.callback.__doc__.strip().splitlines()[0]
