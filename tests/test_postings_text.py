"""`rolecompare import postings --text`: a posting's free text is read by textmatch.Matcher.

The hand-made descriptions (tests/fixtures/postings/README.md, `descriptions.csv`, works out
every figure, traps included) give exactly those figures through the CLI; on the pinned
ai-ml-jobs-usa file the importer's counts agree with a count here that reads the file with
the csv module and runs the Matcher on each posting (none of the importer's code)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest

from rolecompare.kb.shipped import SHIPPED
from rolecompare.textmatch import Matcher
from titles import title_role

ROOT = Path(__file__).resolve().parents[1]
DESCRIPTIONS = ROOT / "tests" / "fixtures" / "postings" / "descriptions.csv"
AIML = (
    ROOT.parent / "shared" / "sources" / "postings" / "ai-ml-jobs-usa" / "ai_ml_jobs_linkedin.csv"
)
TERMS = "python,r,c,go,sql,excel,apache-spark"
RULE = "postings-2-textmatch-1"

DS = {"python": 2, "r": 1, "go": 1, "sql": 1, "apache-spark": 1, "excel": 1}
MLE = {"python": 3, "c": 2, "apache-spark": 2, "go": 1, "excel": 1, "sql": 1}


def _shares(kb: Path, source: str, role: str) -> dict[str, tuple[int, int, str]]:
    figures: list[dict[str, Any]] = json.loads(
        (kb / "facts" / source / f"{role}.json").read_text()
    )["figures"]
    return {
        f["item"]: (f["share"]["k"], f["share"]["n"], f["counted"]["rule"])
        for f in figures
        if "share" in f
    }


def test_the_hand_made_descriptions_give_the_figures_worked_out_by_hand(
    cli: Any, tmp_path: Path
) -> None:
    out = tmp_path / "kb"
    code, _, err = cli("import", "postings", DESCRIPTIONS, "--terms", TERMS, "--out", out)
    assert code == 0, err
    assert "11 rows, 1 repeats dropped, 10 postings: 5 ds, 4 mle; 1 name no role" in err
    assert _shares(out, "descriptions", "ds") == {t: (k, 5, RULE) for t, k in DS.items()}
    assert _shares(out, "descriptions", "mle") == {t: (k, 4, RULE) for t, k in MLE.items()}


def test_text_flag_names_any_column_and_without_it_only_the_skills_lists_count(
    cli: Any, tmp_path: Path
) -> None:
    renamed = tmp_path / "renamed.csv"
    text = DESCRIPTIONS.read_text(encoding="utf-8")
    renamed.write_text(text.replace(",description\n", ",body\n", 1), encoding="utf-8")
    with_text = tmp_path / "with"
    code, _, err = cli(
        "import", "postings", renamed, "--text", "body", "--terms", TERMS, "--out", with_text
    )
    assert code == 0, err
    assert _shares(with_text, "renamed", "ds") == {t: (k, 5, RULE) for t, k in DS.items()}
    assert _shares(with_text, "renamed", "mle") == {t: (k, 4, RULE) for t, k in MLE.items()}
    # No text column known or named: the skills lists alone, by the skills rule.
    without = tmp_path / "without"
    code, _, err = cli("import", "postings", renamed, "--terms", TERMS, "--out", without)
    assert code == 0, err
    assert _shares(without, "renamed", "ds") == {"excel": (1, 5, "postings-2")}
    assert _shares(without, "renamed", "mle") == {"python": (1, 4, "postings-2")}


def test_a_text_column_that_is_not_there_is_a_usage_error(cli: Any, tmp_path: Path) -> None:
    code, _, err = cli(
        "import", "postings", DESCRIPTIONS, "--text", "nope", "--out", tmp_path / "kb"
    )
    assert code == 2
    assert "no column 'nope' (--text)" in err
    assert not (tmp_path / "kb").exists()


def test_verify_counts_text_figures_again_from_the_column_they_record(
    cli: Any, tmp_path: Path
) -> None:
    root = tmp_path / "sources"
    root.mkdir()
    renamed = root / "renamed.csv"
    text = DESCRIPTIONS.read_text(encoding="utf-8")
    renamed.write_text(text.replace(",description\n", ",body\n", 1), encoding="utf-8")
    out = tmp_path / "kb"
    code, _, err = cli(
        "import", "postings", renamed, "--text", "body", "--sources-root", root, "--out", out
    )
    assert code == 0, err
    facts = out / "facts" / "renamed" / "ds.json"
    figures = json.loads(facts.read_text())["figures"]
    assert {f["counted"]["where"]["text"] for f in figures} == {"body"}
    code, _, err = cli("--kb", out, "verify", "--sources", root)
    assert code == 0, err
    changed = facts.read_text().replace(f'"rule": "{RULE}"', '"rule": "postings-2"', 1)
    facts.write_text(changed)
    code, _, err = cli("--kb", out, "verify", "--sources", root)
    assert code == 1
    assert "counted again, the file gives postings-2-textmatch-1" in err


# ---- the pinned ai-ml-jobs-usa file: an independent count ---------------------------------

COUNTED = ("python", "r", "c", "go", "sql", "pytorch", "apache-spark")


def _independent(matcher: Matcher) -> dict[str, dict[str, int]]:
    """Per role: N (key "N") and k per term; repeats (title, company, location) once."""
    csv.field_size_limit(1 << 24)
    groups: dict[tuple[str, ...], tuple[str, set[str]]] = {}
    with open(AIML, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            role = title_role(row["title"])
            key = tuple(row[c].strip().lower() for c in ("title", "companyName", "location"))
            terms = matcher.ids(row["description"]) & set(COUNTED)
            old = groups.get((*key, role or ""))
            groups[(*key, role or "")] = (role or "", terms | (old[1] if old else set()))
    counts: dict[str, dict[str, int]] = {"ds": {"N": 0}, "mle": {"N": 0}}
    for role, terms in groups.values():
        if role:
            counts[role]["N"] += 1
            for t in terms:
                counts[role][t] = counts[role].get(t, 0) + 1
    return counts


def _bundled_terms() -> list[dict[str, Any]]:
    with SHIPPED.open("rb") as f:
        f.readline()
        kb = json.loads(f.read())
    return list(kb["terms"])


def test_ai_ml_jobs_text_counts_match_an_independent_count(cli: Any, tmp_path: Path) -> None:
    if not AIML.is_file():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"CI=true, but the pinned posting dataset {AIML} is not there")
        pytest.skip(f"the pinned posting dataset {AIML} is not there (../shared is missing)")
    out = tmp_path / "kb"
    code, _, err = cli("import", "postings", AIML, "--terms", ",".join(COUNTED), "--out", out)
    assert code == 0, err
    counts = _independent(Matcher.from_kb({"terms": _bundled_terms()}))
    assert counts["mle"]["N"] > 400  # the file is mostly ML engineers
    for role in ("ds", "mle"):
        got = _shares(out, "ai-ml-jobs-usa", role)
        want = {
            t: (counts[role][t], counts[role]["N"], RULE) for t in COUNTED if counts[role].get(t)
        }
        assert got == want, role
