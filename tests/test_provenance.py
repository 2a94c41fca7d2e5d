"""Every fact in the KB is backed, word for word, by the article it cites.

The source articles live beside the repository (../shared/seeds); the test is
skipped where they are not available.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_FILES = {
    "365datascience": "003_d02817c78c7489a7.txt",
    "acte": "000_a6e9182c0dd2056c.txt",
}
# Curly quotes and apostrophes read as straight ones; bullets are dropped.
CHARS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2022": ""})
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\$", "$").translate(CHARS)).strip()


def numbers(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in NUMBER.findall(text)}


def load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def collect() -> list[tuple[str, str, dict[str, Any]]]:
    """(label, kind, record) for every quoted record; each record knows its source and roles."""
    found = []
    for path in sorted(DATA.glob("sources/*.toml")):
        source = load(path)["source"]
        if source.get("quote"):
            found.append((path.name, "source", {**source, "source": source["id"]}))
    for path in sorted(DATA.glob("facts/**/*.toml")):
        doc = load(path)
        name = path.relative_to(DATA).as_posix()
        for kind in ("figures", "statements", "ladders"):
            for i, record in enumerate(doc.get(kind, [])):
                record = {**record, "source": doc["source"], "roles": doc["roles"]}
                found.append((f"{name}:{kind}[{i}]", kind, record))
    return found


RECORDS = collect()
QUOTED = [pytest.param(r, id=label) for label, _, r in RECORDS]
FIGURE_RECORDS = [r for _, kind, r in RECORDS if kind == "figures"]
FIGURES = [pytest.param(r, id=label) for label, kind, r in RECORDS if kind == "figures"]
STATEMENTS = [pytest.param(r, id=label) for label, kind, r in RECORDS if kind == "statements"]


def values(figure: dict[str, Any]) -> list[float]:
    if "percent" in figure:
        return [figure["percent"]]
    if "money" in figure:
        return [figure["money"]["amount"]]
    return [figure["range"]["min"], figure["range"]["max"]]


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"source articles not found at {SEEDS}")
    return {
        sid: normalise((SEEDS / name).read_text(encoding="utf-8"))
        for sid, name in SEED_FILES.items()
    }


@pytest.mark.parametrize("record", QUOTED)
def test_quote_is_verbatim(seeds: dict[str, str], record: dict[str, Any]) -> None:
    source = record["source"]
    assert source in seeds, f"no seed file for source {source!r}"
    assert normalise(record["quote"]) in seeds[source], f"quote not found in {source}"


@pytest.mark.parametrize("figure", FIGURES)
def test_figure_value_is_in_its_quote(figure: dict[str, Any]) -> None:
    for value in values(figure):
        assert value > 0, "a figure the source does not report is left out, never 0"
        assert float(value) in numbers(figure["quote"]), f"{value:g} is not in the quote"


@pytest.mark.parametrize("fact", STATEMENTS)
def test_statement_numbers_are_in_its_quote(fact: dict[str, Any]) -> None:
    missing = numbers(fact["text"]) - numbers(fact["quote"])
    assert not missing, f"text has numbers {sorted(missing)} that the quote lacks"


def figure_values(role: str, topic: str, item: str) -> list[list[float]]:
    return [
        values(f)
        for f in FIGURE_RECORDS
        if f["source"] == "365datascience"
        and role in f["roles"]
        and (f["topic"], f["item"]) == (topic, item)
    ]


@pytest.mark.parametrize(
    ("role", "topic", "item", "value"),
    [
        ("ds", "programming-languages", "python", 56.7),
        ("ds", "programming-languages", "r", 33.0),
        ("mle", "programming-languages", "java", 22.8),
        ("mle", "ai-skills", "machine-learning", 88.3),
        ("ds", "ai-skills", "nlp", 19.0),
        ("ds", "cloud", "microsoft-azure", 28.5),
        ("mle", "cloud", "kubernetes", 16.3),
        ("ds", "degrees", "degree-mathematics", 21.8),
        ("ds", "degrees", "degree-chemistry", 5.3),
        ("mle", "degrees", "degree-engineering", 68.9),
        ("mle", "degrees", "degree-statistics", 21.9),
        ("mle", "salary", "postings-above-200k", 8.6),
        ("ds", "salary", "postings-above-200k", 2.5),
        ("ds", "salary", "average-annual-salary", 160000),
        ("mle", "salary", "average-annual-salary", 166000),
    ],
)
def test_headline_figure(role: str, topic: str, item: str, value: float) -> None:
    assert figure_values(role, topic, item) == [[value]]


@pytest.mark.parametrize("item", ["degree-mathematics", "degree-chemistry", "degree-architecture"])
def test_unreported_degree_is_absent(item: str) -> None:
    assert figure_values("mle", "degrees", item) == []
