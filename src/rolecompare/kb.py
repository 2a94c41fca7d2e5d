"""The validated knowledge base as plain data, and look-ups over it.

This is what models.py validates into and what the cache stores: plain dicts
described by TypedDicts, so that a cached KB is used without importing
pydantic (see README, "Performance"). tests/test_models.py keeps these shapes
and the pydantic models in step.
"""

from __future__ import annotations

import re
from typing import TypedDict


class SourceData(TypedDict):
    id: str
    publisher: str
    title: str
    author: str | None
    date: str | None
    method: str | None
    sample: str | None
    quote: str | None
    note: str | None


class RoleData(TypedDict):
    id: str
    name: str
    aliases: list[str]


class TopicData(TypedDict):
    id: str
    title: str
    command: str
    measure: str | None
    requirements: bool


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


class FigureData(TypedDict):
    source: str
    roles: list[str]
    topic: str
    item: str
    percent: float | None
    money: MoneyData | None
    range: MoneyRangeData | None
    approximate: bool
    reported_by: str | None
    quote: str


class StatementData(TypedDict):
    source: str
    roles: list[str]
    topic: str
    text: str
    quote: str
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


class KB(TypedDict):
    sources: list[SourceData]
    roles: list[RoleData]
    topics: list[TopicData]
    terms: list[TermData]
    figures: list[FigureData]
    statements: list[StatementData]
    ladders: list[LadderData]


_FOLD = r"[\s_\-./]+"  # compiled on first use: most runs never fold a name


def fold(name: str) -> str:
    """The form in which names are compared: case, spaces, dashes and dots ignored."""
    return re.sub(_FOLD, "", name.casefold())


def role_names(role: RoleData) -> list[str]:
    """Every name a user may call a role by: its id, its name and its aliases."""
    return [role["id"], role["name"], *role["aliases"]]
