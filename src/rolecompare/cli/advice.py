"""The commands about the user: fit (a score per role), plan (what to learn) and quiz.

Each reads what the user has (--have, --file) or answers, and runs a query of compare/;
cli.table lists them.
"""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from rolecompare.cli.commands import emit, load, open_chosen, profiles
from rolecompare.cli.options import (
    FileOption,
    FormatOption,
    HaveOption,
    KBOption,
    PagerOption,
    RoleOption,
    RolesOption,
    StrictOption,
    TargetOption,
)

if TYPE_CHECKING:
    from rolecompare.kb.types import KB


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


ListOption = Annotated[
    bool, typer.Option("--list", help="List every skill, tool and degree --have knows.")
]


def fit(
    ctx: typer.Context,
    have: HaveOption = None,
    file: FileOption = None,
    strict: StrictOption = False,
    list_: ListOption = False,
    roles: RolesOption = None,
    fmt: FormatOption = "table",
    no_pager: PagerOption = False,
    kb: KBOption = None,
) -> None:
    """Score each role by how much of what it asks for you have.

    Measured from the postings of every analysis that lists each posting's skills
    (data_jobs 2023, asaniczka 2024), each on its own lines: the share of the role's
    postings whose known skills (the KB's skills, tools and degrees in their lists) you
    have at least half of, and the average share of a posting's known skills you have.
    A posting listing no known skill is left out of both, and counted. "Learn next"
    ranks the missing skills and tools by how much each would raise the at-least-half
    share, then the average, then by how many postings ask for them. What only the
    articles name is listed apart, not scored; no weight is invented.

    --file reads the skills, tools and degrees a CV or any text names, beside --have.
    A --have word that names nothing is a warning, and the rest is scored (--strict
    makes it an error).

    Example: rolecompare fit --have python,sql,statistics
    """
    from rolecompare.compare import fit as fitting

    if list_ or have == ["list"]:
        emit(fitting.term_list(open_chosen(ctx, kb).load(set())), fmt, no_pager=no_pager)
        return
    fitting.parse_have(have, text_too=file is not None)  # a usage error before the KB loads
    from rolecompare.compare import fitreport

    data, chosen = load(ctx, kb, roles, every_term=True)
    words, warnings = _words(data, have, file, strict)
    fits = fitreport.score_roles(data, chosen, fitting.have_ids(words), profiles(ctx, kb, data))
    emit(fitreport.fit_report(data, fits, chosen, words), fmt, no_pager=no_pager)
    _warn(warnings)


def plan(
    ctx: typer.Context,
    to: TargetOption,
    from_: RoleOption = None,
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
    Each analysis that counts postings' skill lists (data_jobs 2023, asaniczka 2024)
    adds its own shares: the most listed items, or with --from the largest gaps
    (within that analysis only) and your strengths.
    With --from: what the target's postings ask for more often (both shares and the
    gap), what only the target's sources name, the sources' advice on the move, and
    where your current role already leads. --have leaves out what you have, and so
    does --file: what a CV or any text names.

    Example: rolecompare plan --from ds --to mle
    """
    from rolecompare.compare import plan as planning

    opened = open_chosen(ctx, kb)
    target, current = planning.plan_roles(opened.base["roles"], to, from_)
    given = bool(have) or file is not None
    data = opened.load({target["id"], *([current["id"]] if current else [])}, True)
    words, warnings = _words(data, have, file, strict) if given else ([], [])
    measured = profiles(ctx, kb, data)
    emit(planning.plan(data, target, current, words, measured), fmt, no_pager=no_pager)
    _warn(warnings)


AnswersOption = Annotated[
    str | None,
    typer.Option(
        "--answers",
        metavar="N,N,...",
        help="Answer every question at once, 1 (strongly disagree) to 5 "
        "(strongly agree), in the order `--answers list` shows.",
    ),
]


def quiz(
    ctx: typer.Context,
    answers: AnswersOption = None,
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

    data, chosen = load(ctx, kb, roles)
    asked = q.questions(data, chosen)
    if answers == "list":
        emit(q.question_list(asked), fmt, no_pager=no_pager)
        return
    if answers is None:
        from rolecompare.ask import ask_ratings

        given = ask_ratings(asked)
    else:
        given = q.parse_answers(answers, len(asked))
    results = q.score(asked, given, chosen)
    emit(q.quiz_report(data, results, q.leaning(results), chosen), fmt, no_pager=no_pager)
