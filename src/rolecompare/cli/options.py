"""The options the commands share, the program's own options, and their completion.

Each option is written once, as an Annotated type that a command's signature names;
the program's own options (before the command) are listed in ROOT_OPTIONS, which is
what cli.app_for reads to find the command a run names without building the app.
"""

from typing import Annotated

import typer

from rolecompare.render import FORMATS

HELP_FLAGS = ("-h", "--help")
KB_FLAGS = ("--kb",)
VERSION_FLAGS = ("--version", "-V")
CONTEXT = {"help_option_names": list(HELP_FLAGS)}
KB_HELP = "Use the KB in this directory instead of the bundled one."


class RootOption:
    """An option of the program itself, given before the command: its flags, whether the
    next word is its value (not the command), and whether it asks about the whole program
    (help, completion scripts). A plain class: a NamedTuple costs 0.1 ms of every start."""

    __slots__ = ("flags", "takes_value", "whole_program")

    def __init__(self, flags: tuple[str, ...], takes_value: bool, whole_program: bool = False):
        self.flags = flags
        self.takes_value = takes_value
        self.whole_program = whole_program


# Every option the root command has: KBOption and the version option of cli._main, the
# help option, and the two that Typer adds for completion (add_completion=True). A test
# checks this against the root command's parameters.
ROOT_OPTIONS = (
    RootOption(KB_FLAGS, takes_value=True),
    RootOption(VERSION_FLAGS, takes_value=False),
    RootOption(HELP_FLAGS, takes_value=False, whole_program=True),
    RootOption(("--install-completion",), takes_value=False, whole_program=True),
    RootOption(("--show-completion",), takes_value=False, whole_program=True),
)


def _kb_of(ctx: typer.Context) -> str | None:
    """--kb as given after the command, or before it."""
    kb = ctx.params.get("kb") or (ctx.parent.params.get("kb") if ctx.parent else None)
    return kb if isinstance(kb, str) else None


def complete_roles(ctx: typer.Context, incomplete: str) -> list[str]:
    """Role ids for shell completion, read straight from the KB's role files."""
    from rolecompare.completion import role_ids

    head, _, last = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    taken = set(head.split(",")) if head else set()
    ids = role_ids(_kb_of(ctx))
    return [prefix + rid for rid in ids if rid.startswith(last) and rid not in taken]


def complete_formats(incomplete: str) -> list[str]:
    return [name for name in FORMATS if name.startswith(incomplete.lower())]


def complete_have(ctx: typer.Context, incomplete: str) -> list[str]:
    """Skill, tool and degree names for shell completion, read straight from the vocabulary."""
    from rolecompare.completion import term_names

    head, _, last = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    last = last.lstrip().casefold()
    return [prefix + n for n in term_names(_kb_of(ctx)) if n.casefold().startswith(last)]


def _format(value: str) -> str:
    from rolecompare.render import format_name
    from rolecompare.text import shown

    name = format_name(value)
    if name is None:
        raise typer.BadParameter(f"'{shown(value)}' is not one of {', '.join(map(repr, FORMATS))}")
    return name


REPORT_FORMATS = ("html", "markdown")


def _report_format(value: str) -> str:
    from rolecompare.render import ALIASES
    from rolecompare.text import shown

    name = ALIASES.get(value.strip().lower(), value.strip().lower())
    if name not in REPORT_FORMATS:
        choices = ", ".join(map(repr, REPORT_FORMATS))
        raise typer.BadParameter(f"'{shown(value)}' is not one of {choices}")
    return name


KBOption = Annotated[
    str | None,
    typer.Option(
        *KB_FLAGS, metavar="PATH", envvar="ROLECOMPARE_KB", show_envvar=True, help=KB_HELP
    ),
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
ReportFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar=f"[{'|'.join(REPORT_FORMATS)}]",
        callback=_report_format,
        help="One self-contained HTML page with charts, or one markdown file.",
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
RoleOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="ROLE",
        autocompletion=complete_roles,
        help="The role you have now: show what changes, and your strengths.",
    ),
]
TargetOption = Annotated[
    str,
    typer.Option(
        "--to", metavar="ROLE", autocompletion=complete_roles, help="The role you aim for."
    ),
]
OutKBOption = Annotated[
    str, typer.Option("--out", "-o", metavar="KB_DIR", help="The KB folder to write.")
]
