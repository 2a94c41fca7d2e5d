"""The command line: parse arguments, run a query, hand its rows to a renderer.

Kept light on purpose: Rich and pydantic are imported only by the commands that
need them, so --version, --help and completion start fast (README, "Performance").
"""

import inspect
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer import _click as click  # typer 0.28 vendors click; see pyproject.toml
from typer._click import exceptions as click_errors

from rolecompare import __version__
from rolecompare.errors import (
    DATA_ERROR,
    INTERNAL_ERROR,
    INTERRUPTED,
    USAGE_ERROR,
    RoleCompareError,
    UsageError,
)

if TYPE_CHECKING:
    from rolecompare.kb import KB


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


CONTEXT = {"help_option_names": ["-h", "--help"]}
_COMMANDS: dict[str, typer.Typer] = {}
F = TypeVar("F", bound=Callable[..., None])


def command(name: str | None = None) -> Callable[[F], F]:
    """Register a command. Typer builds it into a click command only when it is run
    or its help is shown, so a run pays for one command, not twelve (README,
    "Performance")."""

    def register(func: F) -> F:
        one = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False,
                          add_completion=False)
        one.command(name, context_settings=CONTEXT)(func)
        _COMMANDS[name or func.__name__] = one
        return func

    return register


def _short_help(name: str, limit: int) -> str:
    from typer._click.utils import make_default_short_help

    callback = _COMMANDS[name].registered_commands[0].callback
    return make_default_short_help(inspect.cleandoc(callback.__doc__ or "") if callback else "",
                                   limit)


class Group(typer.core.TyperGroup):
    """Builds commands on demand, lists them in the order they are defined, and
    suggests one on a typo."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            built = typer.main.get_command(_COMMANDS[cmd_name])
            built.name = cmd_name
            self.add_command(built, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # From the docstrings: the top-level help builds no command.
        limit = formatter.width - 6 - max(len(name) for name in _COMMANDS)
        with formatter.section("Commands"):
            formatter.write_dl([(name, _short_help(name, limit)) for name in _COMMANDS])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1, cutoff=0.5)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise click_errors.UsageError(
                f"No such command {name!r}.{hint} Commands: {', '.join(self.list_commands(ctx))}.",
                ctx,
            )
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=Group,
    name="rolecompare",
    help="Compare the Data Scientist and Machine Learning Engineer roles side by side, "
    "from a knowledge base of facts quoted from published job-market sources.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=True,
    context_settings=CONTEXT,
)

_kb_option: str | None = None
KB_HELP = "Use the KB in this directory instead of the bundled one."


def _print_version() -> None:
    print(f"rolecompare {__version__}")


def _version(value: bool) -> None:
    if value:
        _print_version()
        raise typer.Exit()


def complete_roles(ctx: typer.Context, incomplete: str) -> list[str]:
    """Role ids for shell completion, read straight from the KB's role files."""
    from rolecompare.completion import role_ids

    # Completion parses the command line without running callbacks: find --kb ourselves.
    kb_dir = ctx.find_root().params.get("kb") or _kb_option
    head, _, last = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    taken = set(head.split(",")) if head else set()
    ids = role_ids(kb_dir)
    return [prefix + rid for rid in ids if rid.startswith(last) and rid not in taken]


@app.callback()
def _main(
    kb: Annotated[
        str | None,
        typer.Option("--kb", metavar="PATH", envvar="ROLECOMPARE_KB", show_envvar=True,
                     help=KB_HELP),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help="Show the version and exit."),
    ] = False,
) -> None:
    """Compare data careers side by side, from a knowledge base of sourced facts.

    Every figure comes from a published source with a verbatim quote; what a
    source does not report shows as "—", never as 0.
    """
    global _kb_option
    _kb_option = kb


def _set_kb(value: str | None) -> None:
    global _kb_option
    if value is not None:
        _kb_option = value


# --kb is accepted after the command too (`rolecompare skills --kb DIR`), like everywhere.
KBOption = Annotated[
    str | None,
    typer.Option("--kb", metavar="PATH", callback=_set_kb, expose_value=False,
                 is_eager=True, help=KB_HELP),
]
RolesOption = Annotated[
    str | None,
    typer.Option("--roles", "-r", metavar="ROLES", autocompletion=complete_roles,
                 help="Comma-separated roles, by id, name or alias, in the order to show "
                 "them (default: every role in the KB)."),
]
FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format: a table for people, "
                 "json/csv/markdown for scripts and documents."),
]


def _kb(roles: str | None = None) -> "KB":
    """The KB that --kb names; given --roles, a cached KB holds only those roles' facts."""
    from rolecompare.loader import load_kb

    return load_kb(_kb_option, roles)


def _show(command: str, roles: str | None, fmt: Format) -> None:
    from rolecompare import queries, render

    kb = _kb(roles)
    chosen = queries.select_roles(kb, roles)
    report = (queries.career_paths(kb, chosen) if command == "path"
              else queries.compare(kb, command, chosen))
    render.emit(report, fmt.value)


@command()
def skills(
    roles: RolesOption = None, fmt: FormatOption = Format.table, kb_dir: KBOption = None
) -> None:
    """Programming languages and AI skills (% of job postings), and job-specific skills.

    Example: rolecompare skills --roles ds,mle --format json
    """
    _show("skills", roles, fmt)


@command()
def tools(
    roles: RolesOption = None, fmt: FormatOption = Format.table, kb_dir: KBOption = None
) -> None:
    """AI tools, ML techniques, cloud and container skills, and each role's toolset.

    Example: rolecompare tools --roles mle
    """
    _show("tools", roles, fmt)


@command()
def education(
    roles: RolesOption = None, fmt: FormatOption = Format.table, kb_dir: KBOption = None
) -> None:
    """Degrees (% of job postings that mention them) and typical backgrounds.

    Example: rolecompare education --format markdown
    """
    _show("education", roles, fmt)


@command()
def salary(
    roles: RolesOption = None, fmt: FormatOption = Format.table, kb_dir: KBOption = None
) -> None:
    """Every salary statement, with what each figure means.

    A share of postings above a threshold is not an average salary; each row says
    which it is.

    Example: rolecompare salary --format csv
    """
    _show("salary", roles, fmt)


@command()
def path(
    role: Annotated[
        str | None,
        typer.Option("--role", metavar="ROLE", autocompletion=complete_roles,
                     help="Show one role's ladder step by step."),
    ] = None,
    roles: RolesOption = None,
    fmt: FormatOption = Format.table,
    kb_dir: KBOption = None,
) -> None:
    """Career ladders side by side, each under its source, with specializations.

    Example: rolecompare path --role mle
    """
    if role is not None and roles is not None:
        raise UsageError("give --role or --roles, not both")
    _show("path", role if role is not None else roles, fmt)


@command()
def summary(
    roles: RolesOption = None, fmt: FormatOption = Format.table, kb_dir: KBOption = None
) -> None:
    """The key differences, one row per aspect.

    Example: rolecompare summary
    """
    _show("summary", roles, fmt)


@command()
def work(
    roles: RolesOption = None, fmt: FormatOption = Format.table, kb_dir: KBOption = None
) -> None:
    """What the work is: responsibilities, business impact, environment, collaborators.

    Example: rolecompare work --roles ds
    """
    _show("work", roles, fmt)


@command()
def fit(
    have: Annotated[
        str | None,
        typer.Option("--have", metavar="SKILLS",
                     help="Comma-separated skills, tools and degrees you have "
                     "(case and spacing don't matter; aliases such as k8s work)."),
    ] = None,
    roles: RolesOption = None,
    fmt: FormatOption = Format.table,
    kb_dir: KBOption = None,
) -> None:
    """Score every role 0–100 by how much of what its postings ask for you have.

    Each skill, tool or degree weighs its posting-mention share (Python at 77.4%
    weighs 0.774); one named only in a role's job-specific skills, toolsets or
    education statements weighs 0.25.
    Score = 100 × weight you have / weight of all the role's items. "Learn next"
    ranks the missing items by the points they would add.

    Example: rolecompare fit --have python,sql,docker
    """
    from rolecompare import fit as fitting
    from rolecompare import queries, render

    names = fitting.parse_have(have)
    kb = _kb()
    chosen = queries.select_roles(kb, roles)
    found, unmatched = fitting.match_terms(kb, names)
    for miss in unmatched:
        hint = f"; did you mean {', '.join(miss.suggestions)}?" if miss.suggestions else ""
        _error(f"not a skill, tool or degree in the KB: {miss.given!r}{hint}")
    fits = fitting.score_roles(kb, chosen, found)
    if fmt is Format.json:
        render.emit_data(render.fit_data(fits))
    else:
        render.emit(queries.fit_report(kb, fits, chosen), fmt.value)


@command()
def quiz(
    answers: Annotated[
        str | None,
        typer.Option("--answers", metavar="N,N,...",
                     help="Answer every question at once, 1 (strongly disagree) to 5 "
                     "(strongly agree), in the order `--answers list` shows."),
    ] = None,
    roles: RolesOption = None,
    fmt: FormatOption = Format.table,
    kb_dir: KBOption = None,
) -> None:
    """Which role is right for you? Rate the sources' statements from 1 to 5.

    Asks one statement at a time on a terminal; in scripts give --answers.
    `--answers list` prints the questions in order and exits.

    Example: rolecompare quiz --answers 5,2,4,1,5,2,4,1
    """
    from rolecompare import queries, render
    from rolecompare import quiz as q

    kb = _kb()
    chosen = queries.select_roles(kb, roles)
    asked = q.questions(kb, chosen)
    if answers == "list":
        for n, st in enumerate(asked, 1):
            print(f"{n}. {st['text']}")
        return
    if answers is not None:
        given = q.parse_answers(answers, len(asked))
    elif sys.stdin is not None and sys.stdin.isatty():
        given = _ask(asked)
    else:
        raise UsageError(f"quiz asks {len(asked)} questions on a terminal; with no terminal, "
                         "give --answers (see `rolecompare quiz --answers list`)")
    results = q.score(asked, given, chosen)
    render.emit(queries.quiz_report(kb, results, q.leaning(results), chosen), fmt.value)


def _ask(asked: list[Any]) -> list[int]:
    from rolecompare.quiz import SCALE

    scale = " · ".join(f"{k} {v}" for k, v in SCALE.items())
    print(f"Rate each statement: {scale}. Ctrl-C stops.", file=sys.stderr)
    given = []
    for n, st in enumerate(asked, 1):
        while True:
            print(f"\n[{n}/{len(asked)}] {st['text']}", file=sys.stderr)
            sys.stderr.write("  1-5> ")
            sys.stderr.flush()
            line = sys.stdin.readline()
            if not line:
                raise UsageError("the quiz ended before every question was answered")
            if line.strip() in {"1", "2", "3", "4", "5"}:
                given.append(int(line))
                break
            print(f"  please type a number from 1 to 5 ({scale})", file=sys.stderr)
    print(file=sys.stderr)
    return given


@command("roles")
def roles_(fmt: FormatOption = Format.table, kb_dir: KBOption = None) -> None:
    """The roles in the KB: ids, names and aliases.

    Example: rolecompare roles --format json
    """
    from rolecompare import queries, render

    render.emit(queries.list_roles(_kb()), fmt.value)


@command()
def sources(fmt: FormatOption = Format.table, kb_dir: KBOption = None) -> None:
    """The sources behind every fact: publisher, title, author, date and method.

    Example: rolecompare sources
    """
    from rolecompare import queries, render

    render.emit(queries.list_sources(_kb()), fmt.value)


@command()
def validate(
    path: Annotated[
        str | None,
        typer.Argument(metavar="[PATH]", help="KB directory (default: --kb, "
                       "ROLECOMPARE_KB, or the bundled KB)."),
    ] = None,
) -> None:
    """Check a KB directory and report every problem; exit 1 if there is any.

    Example: rolecompare validate ./my-kb
    """
    from rolecompare.loader import resolve_kb_dir, validate_dir

    chosen = path or _kb_option
    root = resolve_kb_dir(chosen)
    kb = validate_dir(root)
    counts = ", ".join(f"{len(kb[k])} {k if len(kb[k]) != 1 else k[:-1]}"
                       for k in ("roles", "sources", "figures", "statements", "ladders"))
    where = str(root) if chosen else "the bundled KB"
    print(f"{where}: valid ({counts})")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning every failure into a message and an exit code."""
    code = run(argv)
    # The process is about to end: move every object out of the collector's sight, so
    # that interpreter shutdown does not walk them all again (~10 ms of every run).
    import gc

    gc.freeze()
    sys.exit(code)


def run(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        _print_version()  # the one answer that needs no command tree
        return 0
    try:
        result: Any = app(args=argv, prog_name="rolecompare", standalone_mode=False)
        sys.stdout.flush()
        code = result if isinstance(result, int) else 0
        if code == INTERRUPTED:  # typer turns Ctrl-C inside a command into Exit(130), silently
            _error("interrupted")
        return code
    except RoleCompareError as exc:
        _error(exc.message)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except click_errors.NoArgsIsHelpError as exc:
        exc.show()  # the help text itself, on stderr
        return USAGE_ERROR
    except click_errors.UsageError as exc:
        ctx = exc.ctx
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        _error(" ".join(exc.format_message().split()) + hint)
        return USAGE_ERROR
    except click_errors.ClickException as exc:
        _error(exc.format_message())
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        _error("interrupted")
        return INTERRUPTED
    except BrokenPipeError:
        return _reader_gone()
    except OSError as exc:  # e.g. stdout is a full disk: say so, not "internal error"
        where = f" ({exc.filename})" if exc.filename else ""
        _error(f"{exc.strerror or exc}{where}")
        return DATA_ERROR
    except SystemExit as exc:
        # typer exits by itself when stdout is a closed pipe (`rolecompare skills | head -1`).
        if isinstance(exc.__context__, BrokenPipeError):
            return _reader_gone()
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        _error(str(exc.code))
        return DATA_ERROR
    except Exception as exc:
        _error(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return INTERNAL_ERROR


def _reader_gone() -> int:
    """The reader went away (`rolecompare skills | head -1`): stop quietly, exit 0.

    Output still buffered for stdout is sent to /dev/null, so that Python's own
    flush at exit does not print a BrokenPipeError either.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return 0


def _error(message: str) -> None:
    try:
        for line in message.splitlines() or [""]:
            print(f"rolecompare: {line}", file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr itself is gone; the exit code still tells
