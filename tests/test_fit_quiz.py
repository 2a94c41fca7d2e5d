"""`fit` and `quiz`: which role fits a person, from the KB's own weights and statements."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
KB3 = ROOT / "tests" / "fixtures" / "kb3"

ENGINEERING = "python,java,docker,k8s,tensorflow,pytorch,deep learning,spark"
ANALYSIS = "r,sql,tableau,power bi,statistical analysis,a/b testing,data visualization,excel"


def fit_json(cli: Any, *args: str, kb: Path | None = None) -> list[dict[str, Any]]:
    code, out, err = cli(*(["--kb", str(kb)] if kb else []), "fit", *args, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    assert (data["version"], data["command"]) == (1, "fit")
    fits: list[dict[str, Any]] = data["fits"]
    return fits


@pytest.mark.parametrize(("have", "best"), [(ENGINEERING, "mle"), (ANALYSIS, "ds")])
def test_skill_sets_rank_the_matching_role_first(cli: Any, have: str, best: str) -> None:
    ranked = fit_json(cli, "--have", have)
    assert ranked[0]["role"] == best
    assert ranked[0]["score"] > ranked[1]["score"]


def test_scores_are_0_to_100_on_three_roles(cli: Any) -> None:
    for have in ("python", "sql,scala,docker,kubernetes,python,statistics degree", "scala"):
        ranked = fit_json(cli, "--have", have, kb=KB3)
        assert {r["role"] for r in ranked} == {"ds", "mle", "de"}
        assert all(0 <= r["score"] <= 100 for r in ranked)
        assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)


def test_score_follows_the_stated_rule(cli: Any) -> None:
    # kb3: mle asks python 80%, docker 25.5%, kubernetes 20% -> 0.8 / 1.255 of the weight
    mle = next(r for r in fit_json(cli, "--have", "Py", kb=KB3) if r["role"] == "mle")
    assert mle["score"] == round(100 * 0.8 / (0.8 + 0.255 + 0.2), 1)
    assert [m["item"] for m in mle["matched"]] == ["python"]
    assert [m["item"] for m in mle["missing"]] == ["docker", "kubernetes"]  # best next first


def test_names_match_forgivingly_and_misses_are_reported(cli: Any) -> None:
    code, out, err = cli("--kb", str(KB3), "fit", "--have", " K8S , dockr", "--format", "json")
    assert code == 0
    mle = next(r for r in json.loads(out)["fits"] if r["role"] == "mle")
    assert [m["item"] for m in mle["matched"]] == ["kubernetes"]
    assert "'dockr'" in err
    assert "did you mean Docker?" in err


@pytest.mark.parametrize("have", [None, "", " , "])
def test_fit_without_skills_is_a_usage_error(cli: Any, have: str | None) -> None:
    code, out, err = cli("fit", *([] if have is None else ["--have", have]))
    assert code == 2
    assert out == ""
    assert "--have needs at least one skill" in err


def test_fit_table_shows_score_and_learn_next(cli: Any) -> None:
    code, out, _ = cli("fit", "--have", ENGINEERING)
    assert code == 0
    assert "Score" in out
    assert "Learn next" in out


def quiz_json(cli: Any, *args: str, kb: Path | None = None) -> dict[str, Any]:
    code, out, err = cli(*(["--kb", str(kb)] if kb else []), "quiz", *args, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def questions(cli: Any, *kb: str) -> list[str]:
    code, out, _ = cli(*kb, "quiz", "--answers", "list", "--format", "json")
    assert code == 0
    return [row["statement"] for row in json.loads(out)["quiz"]]


def test_quiz_from_scripted_answers_leans_where_you_agree(cli: Any) -> None:
    asked = questions(cli)
    assert "You enjoy coding and system design." in asked
    assert "You enjoy exploring data and deriving insights." in asked
    codes = {
        q: 5
        if ("system design" in q or "deploy" in q or "DevOps" in q or "engineering career" in q)
        else 1
        for q in asked
    }
    answers = ",".join(str(codes[q]) for q in asked)
    data = quiz_json(cli, "--answers", answers)
    agreement = data["sections"][0]["rows"][0]
    assert agreement["leader"] == "mle"
    assert "You lean towards Machine Learning Engineer." in data["notes"]
    assert "You enjoy coding and system design." in data["sections"][0]["rows"][1]["texts"]["mle"]


def test_quiz_weights_come_from_the_kb(cli: Any) -> None:
    # kb3 order: de (weight 2), ds, mle; agreeing with all but de's statement
    data = quiz_json(cli, "--answers", "1,5,5", kb=KB3)
    values = data["sections"][0]["rows"][0]["values"]
    assert values == {"ds": 100.0, "mle": 100.0, "de": 0.0}
    assert "No clear leaning" in data["notes"][0]


@pytest.mark.parametrize("answers", ["1,2", "1,2,3,4", "6,1,1", "a,b,c", ""])
def test_quiz_rejects_wrong_answers(cli: Any, answers: str) -> None:
    code, out, err = cli("--kb", str(KB3), "quiz", "--answers", answers)
    assert (code, out) == (2, "")
    assert "--answers needs 3 comma-separated numbers from 1 to 5" in err


def test_quiz_without_a_terminal_explains_and_exits_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rolecompare", "quiz"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert "give --answers" in done.stderr


def test_quiz_from_simulated_keyboard_input(tmp_path: Path) -> None:
    """A real pseudo-terminal on stdin: the quiz asks, re-asks on a bad key, and scores."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "ROLECOMPARE_CACHE_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rolecompare", "--kb", str(KB3), "quiz", "--format", "json"],
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(secondary)
    os.write(primary, b"9\n5\n1\n2\n")
    out, err = proc.communicate(timeout=60)
    os.close(primary)
    assert proc.returncode == 0, err
    assert b"[1/3] You enjoy plumbing data." in err
    assert b"please type a number from 1 to 5" in err
    values = json.loads(out)["sections"][0]["rows"][0]["values"]
    assert values == {"de": 100.0, "ds": 0.0, "mle": 25.0}


def test_fit_help_states_the_weight_the_code_uses(cli: Any) -> None:
    from rolecompare.compare.fit import QUALITATIVE_WEIGHT

    code, out, _ = cli("fit", "--help")
    assert code == 0
    assert f"weighs {QUALITATIVE_WEIGHT}" in " ".join(out.split())
