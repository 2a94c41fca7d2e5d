"""`rolecompare check`: a job-posting draft against real postings (compare/check_report.py)."""

from typing import TYPE_CHECKING, Annotated

import typer

from rolecompare.cli.commands import emit, open_chosen, profiles
from rolecompare.cli.options import (
    DetailsOption,
    FormatOption,
    KBOption,
    PagerOption,
    complete_roles,
)
from rolecompare.errors import UsageError

if TYPE_CHECKING:
    from rolecompare.kb.types import RoleData

DraftArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="FILE",
        help="The draft: a text file (UTF-8), or - for standard input.",
        show_default=False,
    ),
]
ExampleOption = Annotated[
    bool,
    typer.Option(
        "--example",
        help="Check the example draft that ships with rolecompare (a Data Scientist "
        "posting) instead of FILE: to see what check shows before you have a draft.",
    ),
]
EXAMPLE = "posting-draft.txt"  # in the package's examples/ folder
CheckRoleOption = Annotated[
    str | None,
    typer.Option(
        "--role",
        "-r",
        metavar="ROLE",
        autocompletion=complete_roles,
        help="Compare with this role's postings (default: the role the draft reads like).",
    ),
]


def _draft(file: str | None, example: bool) -> str:
    """The draft's text (FILE's, or with --example the bundled one); no FILE, an empty
    one or both are usage errors, an empty text a data problem."""
    from importlib.resources import files

    from rolecompare.errors import RoleCompareError
    from rolecompare.text import shown_path
    from rolecompare.textfile import read_text

    if example:
        if file is not None:
            raise UsageError("give FILE or --example, not both")
        return files("rolecompare.examples").joinpath(EXAMPLE).read_text("utf-8")
    if file is None:
        raise UsageError("give FILE (or - for standard input), or --example")
    if file == "":
        raise UsageError("FILE is empty; give a file name, or - for standard input")
    text = read_text(file)
    if not text.strip():
        name = "standard input" if file == "-" else shown_path(file)
        raise RoleCompareError(f"{name}: empty: no text to check")
    return text


def _one_role(roles: "list[RoleData]", role: str | None) -> "RoleData | None":
    """The role --role names, if any; more than one is a usage error."""
    from rolecompare.compare.roles import pick_roles

    if role is None:
        return None
    picked = pick_roles(roles, role)
    if len(picked) != 1:
        raise UsageError("--role takes one role; check compares a draft with one role's postings")
    return picked[0]


def check(
    ctx: typer.Context,
    file: DraftArgument = None,
    example: ExampleOption = False,
    role: CheckRoleOption = None,
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

    Example: rolecompare check --example --role ds
    """
    from rolecompare.compare.check_report import check_report

    text = _draft(file, example)
    opened = open_chosen(ctx, kb)
    roles = opened.base["roles"]
    given = _one_role(roles, role)
    data = opened.load({r["id"] for r in roles}, True)
    emit(check_report(data, text, roles, given, profiles(ctx, kb, data)), fmt, details, no_pager)
