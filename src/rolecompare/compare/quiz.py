"""The "which role is right for you" quiz: its questions come from the KB's
right-for-you statements, each weighted for the roles it speaks for.

Each answer is on a 1–5 scale (1 strongly disagree … 5 strongly agree). A
role's agreement is the weighted mean of (answer − 1) / 4 over its own
statements, as a percentage; the leaning is the role with the highest.
A statement's weight is the KB's (1 if it gives none): an item from a sentence its
source hedges ("… might be a better fit") weighs 0.5, and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest

from rolecompare.compare.cells import leader_of
from rolecompare.compare.report import PERCENT, Cell, Listing, Record, Report, Row, Section
from rolecompare.compare.topics import sources_named
from rolecompare.errors import UsageError
from rolecompare.kb.types import KB, RoleData, StatementData, origin
from rolecompare.render.format import exact
from rolecompare.text import cut

TOPIC = "right-for-you"
# The answers and their words; the terminal's asking is rolecompare.ask's.
SCALE = {1: "strongly disagree", 2: "disagree", 3: "neutral", 4: "agree", 5: "strongly agree"}
DEFAULT_WEIGHT = 1.0


@dataclass(frozen=True)
class Result:
    role: RoleData
    agreement: float  # 0–100
    reasons: list[StatementData]  # statements of this role answered 4 or 5


def questions(kb: KB, roles: list[RoleData]) -> list[StatementData]:
    """The statements to ask, taking the roles in turn so no role's block comes first."""
    ids = [r["id"] for r in roles]
    per_role = [
        [s for s in kb["statements"] if s["topic"] == TOPIC and rid in s["roles"]] for rid in ids
    ]
    asked: list[StatementData] = []
    for group in zip_longest(*per_role):
        asked += [s for s in group if s is not None and s not in asked]
    if not asked:
        raise UsageError("the KB has no 'right-for-you' statements for these roles to ask")
    return asked


def question_list(asked: list[StatementData]) -> Listing:
    """The questions in the order --answers takes them."""
    rows: list[Record] = [
        {"n": str(n), "statement": s["text"], "source": s["source"], "roles": list(s["roles"])}
        for n, s in enumerate(asked, 1)
    ]
    columns = ["n", "statement", "source", "roles"]
    return Listing("quiz", "Quiz statements, in --answers order", columns, rows, "numbered")


def parse_answers(text: str, count: int) -> list[int]:
    parts = [p.strip() for p in text.split(",")]
    try:
        answers = [int(p) for p in parts]
    except ValueError:
        answers = []
    if len(answers) != count or any(a not in SCALE for a in answers):
        raise UsageError(
            f"--answers needs {count} comma-separated numbers from 1 to 5 "
            f"(1 strongly disagree … 5 strongly agree); got {cut(text)!r}"
        )
    return answers


def score(asked: list[StatementData], answers: list[int], roles: list[RoleData]) -> list[Result]:
    """Each role's agreement, best first."""
    results = []
    for role in roles:
        mine = [(s, a) for s, a in zip(asked, answers, strict=True) if role["id"] in s["roles"]]
        total = sum(s["weight"] or DEFAULT_WEIGHT for s, _ in mine)
        got = sum((s["weight"] or DEFAULT_WEIGHT) * (a - 1) / 4 for s, a in mine)
        agreement = round(100 * got / total, 1) if total else 0.0
        results.append(Result(role, agreement, [s for s, a in mine if a >= 4]))
    return sorted(results, key=lambda r: -r.agreement)


def leaning(results: list[Result]) -> RoleData | None:
    """The role that fits best, or None when the top two are tied."""
    if len(results) > 1 and results[0].agreement == results[1].agreement:
        return None
    return results[0].role if results else None


def quiz_report(
    kb: KB, results: list[Result], leaning: RoleData | None, roles: list[RoleData]
) -> Report:
    source = kb["sources"][0]["id"] if kb["sources"] else ""
    cells = {r.role["id"]: Cell((f"{r.agreement:g}%",), r.agreement) for r in results}
    leader, lead = leader_of(cells)
    reasons = {
        r.role["id"]: Cell(
            tuple(s["text"] for s in r.reasons), quotes=tuple(origin(s) for s in r.reasons)
        )
        for r in results
    }
    rows = [
        Row("Agreement", source, cells, unit=PERCENT, leader=leader, lead=lead),
        Row("Because you agreed", source, reasons),
    ]
    used = {s["source"] for r in results for s in r.reasons}
    if leaning is None:
        notes = [
            "No clear leaning: you agreed with each role's statements about as much.",
            "Next: rolecompare summary",
        ]
    else:
        rid = leaning["id"]
        notes = [
            f"You lean towards {leaning['name']}.",
            f"Next: rolecompare path --role {rid}; rolecompare skills --roles {rid}; "
            "rolecompare fit --have <your skills>",
        ]
    notes += weight_notes(questions(kb, roles))
    return Report(
        "quiz",
        "Which role is right for you?",
        roles,
        [Section("quiz", "How much you agreed with each role's statements", rows)],
        sources_named(kb, used),
        notes,
    )


def weight_notes(asked: list[StatementData]) -> list[str]:
    """One line per statement that does not count 1, with its source's words: why a
    hedged item ("… might be a better fit") weighs less than an unhedged one."""
    return [
        f"“{s['text']}” counts {exact(s['weight'])}, the others {exact(DEFAULT_WEIGHT)}: "
        f"[{s['source']}] says “{origin(s)}”"
        for s in asked
        if s["weight"] is not None and s["weight"] != DEFAULT_WEIGHT
    ]
