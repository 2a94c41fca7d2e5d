"""The knowledge base's schema: one strict pydantic model per kind of KB file.

Only load.py imports this module, and only when it must validate files:
a KB already validated is read from the cache without pydantic (see cache.py).
Rules that span several files (references, uniqueness) live in rules.py.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from rolecompare.kb.sourcefiles import path_problem

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Quote = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Amount = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Period = Literal["year", "month", "hour"]
Command = Literal["skills", "tools", "education", "salary", "path", "summary", "work", "quiz"]
Cells = Annotated[dict[str, Text], Field(min_length=1, max_length=32)]


def _plain_path(path: str) -> str:
    """A path a KB names (a document, a record's file): plain and relative (sourcefiles)."""
    why = path_problem(path)
    if why is not None:
        raise ValueError(f"'{path}' is not a plain relative path: it {why}")
    return path


PlainPath = Annotated[Text, AfterValidator(_plain_path)]
# "statistic": an official measure of an occupation that is not pay (jobs, projected change).
TermKind = Literal["skill", "tool", "degree", "salary-metric", "aspect", "statistic"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(Strict):
    id: Slug
    publisher: Text
    # What a reader calls it in a short phrase ("no BLS occupation"); else the publisher.
    short: Text | None = None
    title: Text
    author: Text | None = None
    date: Text | None = None
    method: Text | None = None
    sample: Text | None = None
    quote: Quote | None = None
    note: Text | None = None
    url: Text | None = None
    # The exact credit to print wherever the source's facts are shown (e.g. a
    # suggested citation, or a licence's required attribution).
    citation: Text | None = None
    credit: Text | None = None
    # What the KB changed or selected, where the licence asks to say so.
    modified: Text | None = None
    # Where the pinned copy lives, relative to a sources folder (`verify --sources`):
    # a text or HTML file whose text holds every quote, or a folder of data files.
    document: PlainPath | None = None
    # The SHA-256 of a document file's bytes: `verify --sources` finds a copy of it by its
    # content, whatever its name, where document does not name it.
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    # True for a source that reports on official occupations: a role with no
    # occupation code for it (Role.occupations) shows why it has no figure.
    per_occupation: bool = False
    # When the source's data is from, where it differs from (or is not) the page's date:
    # "job listings on Indeed USA in 2024", "May 2024 (pay)". `sources` shows it.
    data_date: Text | None = None
    # True for a source whose figures count job postings: each comparison ends with a line
    # naming these sources and their data_date ("Posting data: ...").
    postings: bool = False


class Record(Strict):
    """One row of a data file, named by the values of the columns that identify it."""

    file: PlainPath
    key: Cells
    values: dict[str, Text] = Field(default_factory=dict)


class SourceFile(Strict):
    source: Source


class Role(Strict):
    id: Slug
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    # Official occupation codes by source id, e.g. {onet = "15-2051.00"}.
    occupations: dict[str, Text] = Field(default_factory=dict)


class RoleFile(Strict):
    role: Role


class Topic(Strict):
    id: Slug
    title: Text
    command: Command
    measure: Text | None = None
    # True when this topic's statements list what a role asks for (fit counts the
    # terms they name); commentary topics leave it false.
    requirements: bool = False
    # True when a topic's rows are shown in tables only on request (--details).
    detail: bool = False


class Term(Strict):
    id: Slug
    name: Text
    kind: TermKind
    aliases: list[Text] = Field(default_factory=list)
    meaning: Text | None = None


class VocabularyFile(Strict):
    topics: list[Topic] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)


class Money(Strict):
    amount: Amount
    currency: Currency
    period: Period


class MoneyRange(Strict):
    min: Amount
    max: Amount
    currency: Currency
    period: Period

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is greater than max ({self.max:g})")
        return self


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Count = Annotated[int, Field(ge=0)]
Positive = Annotated[int, Field(ge=1)]


class Share(Strict):
    """A share counted from data: k of n (postings). The percent and its 95% Wilson
    interval are computed from k and n where shown, never stored rounded."""

    k: Count
    n: Positive

    @model_validator(mode="after")
    def _within(self) -> Self:
        if self.k > self.n:
            raise ValueError(f"k ({self.k}) is greater than n ({self.n})")
        return self


class Pay(Strict):
    """Annual pay percentiles computed from data: N values, their median and the 10th,
    25th, 75th and 90th percentiles. `basis` says what was paid: "posted" (pay stated
    in job postings) or "survey" (self-reported pay of people in jobs, never posted)."""

    n: Positive
    p10: Amount
    p25: Amount
    median: Amount
    p75: Amount
    p90: Amount
    currency: Currency
    period: Literal["year"]
    basis: Literal["posted", "survey"]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.p10 <= self.p25 <= self.median <= self.p75 <= self.p90:
            raise ValueError("percentiles must rise: p10 <= p25 <= median <= p75 <= p90")
        return self


class Counted(Strict):
    """Where a counted figure comes from: the dataset file (relative to a sources
    folder), its sha256, the version of the rules that counted it, and what was
    selected (role, term, level, country, year) as column = value."""

    file: PlainPath
    sha256: Sha256
    rule: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
    where: dict[str, Text] = Field(default_factory=dict)


class Figure(Strict):
    """One number a source reports for the roles of its file, with its quote, its data
    record, or (for a figure counted from a dataset: share or pay) how it was counted."""

    topic: Slug
    item: Slug
    percent: Percent | None = None
    money: Money | None = None
    range: MoneyRange | None = None
    count: Annotated[int, Field(ge=0)] | None = None
    approximate: bool = False
    reported_by: Text | None = None
    quote: Quote | None = None
    record: Record | None = None
    share: Share | None = None
    pay: Pay | None = None
    counted: Counted | None = None

    @model_validator(mode="after")
    def _one_value(self) -> Self:
        values = (self.percent, self.money, self.range, self.count, self.share, self.pay)
        if sum(v is not None for v in values) != 1:
            raise ValueError("give exactly one of percent, money, range, count, share or pay")
        if (self.share is not None or self.pay is not None) != (self.counted is not None):
            raise ValueError("a share or pay figure comes with counted (and only those do)")
        if self.counted is None:
            _check_origin(self.quote, self.record)
        elif self.quote is not None or self.record is not None:
            raise ValueError("a counted figure has no quote or record: counted says its origin")
        return self


def _check_origin(quote: str | None, record: Record | None) -> None:
    if (quote is None) == (record is None):
        raise ValueError("give exactly one of quote (from a page) or record (from a data file)")


class Statement(Strict):
    """A qualitative fact: what a source says, in its words, with no invented figure."""

    topic: Slug
    text: Text
    quote: Quote | None = None
    record: Record | None = None
    item: Slug | None = None
    terms: list[Slug] = Field(default_factory=list)
    weight: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _one_origin(self) -> Self:
        _check_origin(self.quote, self.record)
        return self


class Contradiction(Strict):
    """Where a source contradicts itself: what the reader should know, and both passages."""

    topic: Slug
    item: Slug | None = None
    text: Text
    quotes: list[Quote] = Field(min_length=2)


class Step(Strict):
    level: Text | None = None
    titles: list[Text] = Field(min_length=1)


class Ladder(Strict):
    """A career ladder, ordered from the first step to the last."""

    steps: list[Step] = Field(min_length=1)
    specializations: list[Text] = Field(default_factory=list)
    leads_to: list[Text] = Field(default_factory=list)
    quote: Quote


class FactFile(Strict):
    source: Slug
    roles: list[Slug] = Field(min_length=1)
    figures: list[Figure] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    ladders: list[Ladder] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
