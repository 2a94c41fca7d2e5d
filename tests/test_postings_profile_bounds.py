"""A posting profile is bounded (kb/profiles.MAX_SETS sets in kb/profiles.MAX_BYTES):
past either, `import postings` writes no profile for that role, says so in its summary,
and `fit` scores no analysis for the role; the loader refuses a file past either. Never
a part of a profile. The limits are lowered here to fit the hand-made corpus, whose ds
postings ask for 11 distinct sets and mle's for 8 (tests/test_postings_profiles.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolecompare.kb import profiles

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "postings" / "corpus.csv"


def _import(cli: Any, out: Path) -> str:
    code, _, err = cli("import", "postings", CORPUS, "--out", out)
    assert code == 0, err
    return str(err)


def test_a_role_past_the_sets_limit_gets_no_profile_and_the_summary_says_so(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profiles, "MAX_SETS", 10)
    err = _import(cli, tmp_path / "kb")
    assert (
        "corpus.csv: no posting profile for ds (11 distinct sets of terms, over 10): "
        "fit and plan do not score this analysis for it, and check reads only its facts"
    ) in err
    assert "for mle" not in err
    folder = tmp_path / "kb" / "postings" / "corpus"
    assert sorted(p.name for p in folder.iterdir()) == ["mle.json"]
    # The facts are all still there: the bound is the profile's, never the shares'.
    facts = json.loads((tmp_path / "kb" / "facts" / "corpus" / "ds.json").read_text())
    shares = {f["item"]: f["share"]["k"] for f in facts["figures"] if f.get("share")}
    assert shares["python"] == 9  # DS_SETS of tests/test_postings_profiles.py
    code, out, err = cli("fit", "--kb", tmp_path / "kb", "--have", "python", "--format", "json")
    assert code == 0, err
    half = json.loads(out)["sections"][0]["rows"][0]
    assert half["label"] == "At least half"
    assert half["values"]["ds"] is None
    assert half["not_reported"] == {"ds": "no posting profile"}
    assert (half["figures"]["mle"]["k"], half["figures"]["mle"]["n"]) == (4, 10)


def test_a_role_past_the_byte_limit_gets_no_profile(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(cli, tmp_path / "whole")
    sizes = {
        p.stem: p.stat().st_size for p in (tmp_path / "whole" / "postings" / "corpus").iterdir()
    }
    assert sizes["mle"] < sizes["ds"]
    monkeypatch.setattr(profiles, "MAX_BYTES", sizes["ds"] - 1)
    err = _import(cli, tmp_path / "kb")
    assert f"no posting profile for ds ({sizes['ds']:,} bytes, over {sizes['ds'] - 1:,})" in err
    assert "for mle" not in err
    assert [p.name for p in (tmp_path / "kb" / "postings" / "corpus").iterdir()] == ["mle.json"]


def test_the_loader_refuses_a_profile_past_either_limit(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = tmp_path / "kb"
    _import(cli, kb)
    monkeypatch.setattr(profiles, "MAX_SETS", 10)
    code, _, err = cli("validate", kb)
    assert code == 1
    assert "postings/corpus/ds.json" in err
    assert "sets: more than 10 sets; a profile holds at most that" in err
    assert "mle.json" not in err
    monkeypatch.setattr(profiles, "MAX_SETS", 50_000)
    size = (kb / "postings" / "corpus" / "ds.json").stat().st_size
    monkeypatch.setattr(profiles, "MAX_BYTES", size - 1)
    code, _, err = cli("validate", kb)
    assert code == 1
    assert f"postings/corpus/ds.json: file is larger than {size - 1:,} bytes" in err
    assert "mle.json" not in err
