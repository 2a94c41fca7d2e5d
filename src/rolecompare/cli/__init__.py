"""The command line: both apps, built from one table of commands (build).

The table is cli.table (COMMANDS and GROUPS); the commands are in cli.commands,
cli.advice and cli.imports; the options they share, and the program's own, are in
cli.options. `app` is the whole command line; a run that names one command gets an
app of that command alone (app_for), because Typer builds every command's parameters
on each run (docs/performance.md, "What rolecompare does for speed"). Rich and
pydantic are imported only by the commands that need them, so --help and completion
start fast.
"""

from collections.abc import Iterable
from typing import Annotated

import typer

from rolecompare import __version__
from rolecompare.cli.options import CONTEXT, ROOT_OPTIONS, VERSION_FLAGS, KBOption
from rolecompare.cli.table import COMMANDS, GROUPS
from rolecompare.main import resume_collector

__all__ = ["COMMANDS", "GROUPS", "app", "app_for", "build"]

ABOUT = "Compare data careers side by side, from a knowledge base of sourced facts."


def _version(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        print(f"rolecompare {__version__}")
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option(
        *VERSION_FLAGS, callback=_version, is_eager=True, help="Show the version and exit."
    ),
]


def _main(ctx: typer.Context, kb: KBOption = None, version: VersionOption = False) -> None:
    """Compare data careers side by side, from a knowledge base of sourced facts.

    Every figure comes from a published source with a verbatim quote or data
    record; what a source does not report shows as "—", never as 0.
    """
    ctx.obj = kb  # the KB folder the commands use unless they are given --kb themselves
    resume_collector()


def _typer(name: str, about: str) -> typer.Typer:
    return typer.Typer(
        name=name,
        help=about,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        add_completion=name == "rolecompare",
        context_settings=CONTEXT,
    )


def _summary(func: object) -> str | None:
    """A command's line in `rolecompare --help`: its docstring's first line, whole (Click
    would cut one it computes itself with "..." to fit, even where it could wrap)."""
    doc = getattr(func, "__doc__", None)
    return doc.strip().splitlines()[0] if doc else None


def build(names: Iterable[str] | None = None) -> typer.Typer:
    """The app of the commands and groups named (default: all of them), in table order."""
    wanted = None if names is None else set(names)
    built = _typer("rolecompare", ABOUT)
    built.callback()(_main)
    for name, func in COMMANDS.items():
        if wanted is None or name in wanted:
            built.command(name, context_settings=CONTEXT, short_help=_summary(func))(func)
    for name, group in GROUPS.items():
        if wanted is None or name in wanted:
            sub = _typer(name, group.help)
            for sub_name, func in group.commands.items():
                sub.command(sub_name, context_settings=CONTEXT)(func)
            built.add_typer(sub)
    return built


app = build()  # the whole command line


def app_for(args: list[str]) -> typer.Typer:
    """The app to run args with: when they run one command, an app of that command alone.

    Anything else (no command, a mistyped one, help or completion asked of the whole
    program) gets the whole app. In shell completion, the command is read from the
    words before the cursor, as the shell named in _ROLECOMPARE_COMPLETE gives them.
    """
    import os

    if "_ROLECOMPARE_COMPLETE" in os.environ:
        from rolecompare.completion import words_before_cursor

        args = words_before_cursor()
    name = command_name(args)
    return build([name]) if name in COMMANDS or name in GROUPS else app


def command_name(args: list[str]) -> str | None:
    """The command that args run, after the program's own options (ROOT_OPTIONS), or None
    when there is none, or the words ask about the whole program."""
    flags = {flag: option for option in ROOT_OPTIONS for flag in option.flags}
    rest = iter(args)
    for arg in rest:
        option = flags.get(arg.partition("=")[0] if arg.startswith("--") else arg)
        if option is not None and option.whole_program:
            return None
        if option is not None and option.takes_value and "=" not in arg:
            next(rest, None)  # its value
        elif not arg.startswith("-"):
            return arg
    return None
