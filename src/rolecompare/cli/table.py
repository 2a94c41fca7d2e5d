"""The command table: every command and group of commands, by name, in the order
`rolecompare --help` lists them. cli.build makes both apps, the whole one and the
one-command one, from it alone.

A new command is one function (in cli.commands, cli.advice or a module of its own)
and one entry in COMMANDS; a new group of commands, one entry in GROUPS.
"""

from typing import TYPE_CHECKING

from rolecompare.cli.advice import fit, plan, quiz
from rolecompare.cli.commands import (
    COMPARISONS,
    comparison,
    report,
    roles_,
    sources,
    validate,
    verify,
)
from rolecompare.cli.drafts import check
from rolecompare.cli.imports import import_onet, import_postings

if TYPE_CHECKING:
    from collections.abc import Callable


class Group:
    """A command that is a group of commands (`rolecompare import onet ...`): its help,
    and its own command table. (A plain class: a NamedTuple costs 0.1 ms of every start.)"""

    __slots__ = ("commands", "help")

    def __init__(self, about: str, commands: "dict[str, Callable[..., None]]") -> None:
        self.help = about
        self.commands = commands


COMMANDS: "dict[str, Callable[..., None]]" = {
    **{name: comparison(name, doc) for name, doc in COMPARISONS.items()},
    "fit": fit,
    "plan": plan,
    "check": check,
    "quiz": quiz,
    "roles": roles_,
    "sources": sources,
    "validate": validate,
    "verify": verify,
    "report": report,
}
# After COMMANDS in `rolecompare --help`.
GROUPS = {
    "import": Group(
        "Make a KB from O*NET data or job postings.",
        {"onet": import_onet, "postings": import_postings},
    ),
}
