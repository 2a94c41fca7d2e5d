"""The validated knowledge base as plain data, and look-ups over it.

This is what schema.py validates into and what the cache stores: plain dicts
described by TypedDicts, so that a cached KB is used without importing
pydantic (see docs/performance.md, "Performance"). tests/test_kb.py keeps these shapes and
the pydantic models in step, type by type.
"""

from __future__ import annotations

from typing import TypedDict


class SourceData(TypedDict):
    id: str
    publisher: str
    short: str | None
    title: str
    author: str | None
    date: str | None
    method: str | None
    sample: str | None
    quote: str | None
    note: str | None
    url: str | None
    citation: str | None
    credit: str | None
    modified: str | None
    document: str | None
    sha256: str | None
    per_occupation: bool
    data_date: str | None
    postings: bool


class RoleData(TypedDict):
    id: str
    name: str
    aliases: list[str]
    occupations: dict[str, str]


class RecordData(TypedDict):
    file: str
    key: dict[str, str]
    values: dict[str, str]


class TopicData(TypedDict):
    id: str
    title: str
    command: str
    measure: str | None
    requirements: bool
    detail: bool


class TermData(TypedDict):
    id: str
    name: str
    kind: str
    aliases: list[str]
    meaning: str | None


class MoneyData(TypedDict):
    amount: float
    currency: str
    period: str


class MoneyRangeData(TypedDict):
    min: float
    max: float
    currency: str
    period: str


class ShareData(TypedDict):
    k: int
    n: int


class PayData(TypedDict):
    n: int
    p10: float
    p25: float
    median: float
    p75: float
    p90: float
    currency: str
    period: str
    basis: str


class CountedData(TypedDict):
    file: str
    sha256: str
    rule: str
    where: dict[str, str]


class FigureData(TypedDict):
    source: str
    roles: list[str]
    topic: str
    item: str
    percent: float | None
    money: MoneyData | None
    range: MoneyRangeData | None
    count: int | None
    approximate: bool
    reported_by: str | None
    quote: str | None
    record: RecordData | None
    share: ShareData | None
    pay: PayData | None
    counted: CountedData | None


class StatementData(TypedDict):
    source: str
    roles: list[str]
    topic: str
    text: str
    quote: str | None
    record: RecordData | None
    item: str | None
    terms: list[str]
    weight: float | None


class StepData(TypedDict):
    level: str | None
    titles: list[str]


class LadderData(TypedDict):
    source: str
    roles: list[str]
    steps: list[StepData]
    specializations: list[str]
    leads_to: list[str]
    quote: str


class ContradictionData(TypedDict):
    source: str
    roles: list[str]
    topic: str
    item: str | None
    text: str
    quotes: list[str]


# The KB's lists of facts (the fields of KB below that a fact file fills), in the order
# the models list them: what load, the cache and verify go through, one list for all.
FACT_KINDS = ("figures", "statements", "ladders", "contradictions")


class KB(TypedDict):
    sources: list[SourceData]
    roles: list[RoleData]
    topics: list[TopicData]
    terms: list[TermData]
    figures: list[FigureData]
    statements: list[StatementData]
    ladders: list[LadderData]
    contradictions: list[ContradictionData]


def fold(name: str) -> str:
    """The form in which names are compared: case, spaces, dashes and dots ignored.

    That is, casefolded without whitespace (what str.split splits on, the same as a
    regular expression's \\s) or any of _-./; without a regular expression, as --roles
    folds every name of every role (docs/performance.md,
    "What rolecompare does for speed")."""
    plain = "".join(name.casefold().split())
    for mark in "_-./":
        plain = plain.replace(mark, "")
    return plain


def origin(fact: FigureData | StatementData) -> str:
    """Where a fact comes from, for people: its verbatim quote, or the data record it reads."""
    if fact["quote"] is not None:
        return fact["quote"]
    counted: CountedData | None = fact.get("counted")  # type: ignore[assignment]
    if counted is not None:
        where = "; ".join(f"{k} = {v}" for k, v in counted["where"].items())
        return f"{counted['file']} (rules {counted['rule']}): {where}"
    record = fact["record"]
    assert record is not None  # the model requires one of the two
    cells = "; ".join(f"{k} = {v}" for k, v in {**record["key"], **record["values"]}.items())
    return f"{record['file']}: {cells}"


SUPPRESS = "Recommend Suppress"  # O*NET's column: "Y" where it recommends suppressing a value
# Columns of a data record that say whose answers a value is and when (O*NET's).
PROVENANCE = ("Domain Source", "Date")


def suppressed(fig: FigureData) -> bool:
    """Whether the figure's data record says O*NET recommends suppressing it."""
    record = fig["record"]
    return record is not None and record["values"].get(SUPPRESS) == "Y"


def provenance(fig: FigureData) -> tuple[str, ...]:
    """The record's Domain Source and Date, as its file writes them, where it has them."""
    record = fig["record"]
    values = record["values"] if record else {}
    return tuple(values[c] for c in PROVENANCE if c in values)


def role_names(role: RoleData) -> list[str]:
    """Every name a user may call a role by: its id, its name and its aliases."""
    return [role["id"], role["name"], *role["aliases"]]
