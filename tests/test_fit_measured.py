"""fit's measured score (compare/fitscore.py) on profiles made by hand, and plan's shares
from the bundled posting profiles, analysis by analysis."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from rolecompare.compare.fitscore import measure
from rolecompare.kb.profiles import Profile

ROOT = Path(__file__).resolve().parents[1]


def _profile(*sets: tuple[int, set[str]]) -> Profile:
    n = sum(c for c, _ in sets)
    return Profile("made", "ds", n, tuple((c, frozenset(t)) for c, t in sets), ((0, n),))


def test_ties_break_by_the_share_of_postings_never_by_the_alphabet() -> None:
    # With p: alpha would make {alpha, p} no more "half yours" (it is already) and zeta
    # no set of six; both raise the average by 1/2 posting of 4 (1 x 1/2 = 3 x 1/6), so
    # the tie breaks by how many postings ask for each: zeta 3, alpha 1.
    profile = _profile((1, {"alpha", "p"}), (3, {"zeta", "p", "q", "r", "s", "t"}))
    order = {"alpha": 0, "zeta": 1, "p": 2, "q": 3, "r": 4, "s": 5, "t": 6}
    got = measure(profile, {"p"}, order, {"alpha", "zeta"})
    assert [(g.term, g.half, g.average, g.k) for g in got.learn] == [
        ("zeta", 0, Fraction(1, 8), 3),
        ("alpha", 0, Fraction(1, 8), 1),
    ]
    assert (got.half, got.known) == (1, 4)
    assert got.average == Fraction(1 * 1, 2 * 4) + Fraction(3 * 1, 6 * 4)


def test_a_posting_with_no_known_term_is_left_out_of_both_measures() -> None:
    got = measure(_profile((5, set()), (1, {"p"}), (2, {"q"})), {"p"}, {}, {"q"})
    assert (got.n, got.known, got.unknown, got.half) == (8, 3, 5, 1)
    assert got.average == Fraction(1, 3)
    assert [(g.term, g.half) for g in got.learn] == [("q", 2)]
    assert got.have == (("p", 1),)


def test_nothing_had_nothing_half_and_the_gain_counts_half_sets() -> None:
    order = {"b": 0, "a": 1, "c": 2}  # a full tie is left in the KB's order
    got = measure(_profile((2, {"a", "b"}), (1, {"a", "b", "c"})), set(), order, set(order))
    assert got.half == 0
    assert got.average == 0
    # a alone is half of {a, b} (2 postings) but not of {a, b, c}; so is b; c of neither
    assert [(g.term, g.half) for g in got.learn] == [("b", 2), ("a", 2), ("c", 0)]


def _plan(cli: Any, *args: str) -> dict[str, Any]:
    code, out, err = cli("plan", *args, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def _profile_file(source: str, role: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        (ROOT / "data" / "postings" / source / f"{role}.json").read_text()
    )
    return doc


def _k(doc: dict[str, Any], term: str) -> int:
    return sum(c for c, terms in doc["sets"] if term in terms)


def test_plan_to_a_role_lists_each_analysis_s_most_listed_items(cli: Any) -> None:
    data = _plan(cli, "--to", "mle")
    for source in ("asaniczka-2024", "data-jobs-2023"):
        (section,) = [s for s in data["sections"] if s["id"] == f"postings-{source}"]
        assert section["title"].endswith(f"[{source}]")
        doc = _profile_file(source, "mle")
        ks = [row["figures"]["mle"]["k"] for row in section["rows"]]
        assert ks == sorted(ks, reverse=True)
        for row in section["rows"]:
            fig = row["figures"]["mle"]
            assert (fig["k"], fig["n"]) == (_k(doc, row["item"]), doc["postings"])


def test_plan_from_a_role_gives_gaps_within_one_analysis(cli: Any) -> None:
    data = _plan(cli, "--to", "mle", "--from", "ds", "--have", "pytorch")
    (more,) = [s for s in data["sections"] if s["id"] == "postings-more-often-data-jobs-2023"]
    ds, mle = _profile_file("data-jobs-2023", "ds"), _profile_file("data-jobs-2023", "mle")
    items = [row["item"] for row in more["rows"]]
    assert "pytorch" not in items  # what you have is left out
    for row in more["rows"]:
        assert row["figures"]["ds"]["k"] == _k(ds, row["item"])
        assert row["figures"]["mle"]["k"] == _k(mle, row["item"])
        assert row["leader"] == "mle"
    leads = [row["lead"] for row in more["rows"]]
    assert leads == sorted(leads, reverse=True)
    strengths = [s for s in data["sections"] if s["id"] == "postings-strengths-data-jobs-2023"]
    assert strengths[0]["rows"][0]["leader"] == "ds"
