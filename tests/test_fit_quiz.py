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
    assert (data["version"], data["command"]) == (4, "fit")
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


def test_names_match_forgivingly_and_misses_are_warnings(cli: Any) -> None:
    mle = next(r for r in fit_json(cli, "--have", " K8S ", kb=KB3) if r["role"] == "mle")
    assert [m["item"] for m in mle["matched"]] == ["kubernetes"]
    code, out, err = cli("--kb", str(KB3), "fit", "--have", " K8S , dockr")
    assert code == 0  # the miss is ignored, the rest is scored (issue #22)
    assert "Kubernetes" in out
    assert err == "rolecompare: not recognised (ignored): 'dockr'; nearest: Docker\n"
    code, out, err = cli("--kb", str(KB3), "fit", "--have", " K8S , dockr", "--strict")
    assert (code, out) == (2, "")
    assert "'dockr'; nearest: Docker" in err
    assert '--have "python sql deep learning"' in err  # an example of what works


@pytest.mark.parametrize("have", [None, "", " , "])
def test_fit_without_skills_is_a_usage_error(cli: Any, have: str | None) -> None:
    code, out, err = cli("fit", *([] if have is None else ["--have", have]))
    assert code == 2
    assert out == ""
    assert "--have or --file needs at least one skill" in err
    assert "e.g. --have python,sql,statistics" in err


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


def test_fit_help_and_the_docs_state_the_rule_the_code_uses(cli: Any) -> None:
    from rolecompare.compare.fit import POINTS_TOTAL, QUALITATIVE_WEIGHT

    code, out, _ = cli("fit", "--help")
    assert code == 0
    docs = " ".join((ROOT / "docs" / "commands.md").read_text(encoding="utf-8").split())
    for text in (" ".join(out.split()), docs):
        assert f"weighs {QUALITATIVE_WEIGHT}" in text
        assert f"Each role's {POINTS_TOTAL} points are shared out" in text
        assert f"{POINTS_TOTAL} × weight you have / weight of all the role's items" in text
    # and the code follows it: kb3's mle asks python 80%, docker 25.5%, kubernetes 20%
    mle = next(r for r in fit_json(cli, "--have", "docker", kb=KB3) if r["role"] == "mle")
    assert mle["out_of"] == POINTS_TOTAL
    assert mle["score"] == round(POINTS_TOTAL * 0.255 / (0.8 + 0.255 + 0.2), 1)


# ---- ordinary words (issue #13) -----------------------------------------------------------


def matched(fits: list[dict[str, Any]], role: str) -> set[str]:
    return {m["item"] for f in fits if f["role"] == role for m in f["matched"]}


def test_a_word_naming_a_skill_and_a_degree_counts_for_both(cli: Any) -> None:
    # "mathematics" used to match only the unweighted skill and score 0 against 0.
    code, out, err = cli("fit", "--have", "mathematics", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert matched(data["fits"], "ds") == {"degree-mathematics"}  # the skill weighs nothing
    ds = next(f for f in data["fits"] if f["role"] == "ds")
    assert ds["score"] > 0  # the Mathematics degree: 21.8% of data-scientist postings
    assert next(m for m in ds["matched"] if m["item"] == "degree-mathematics")["weight"] == 0.218
    assert data["words"] == [
        {
            "word": "mathematics",
            "from": "--have",
            "matched": [
                {"item": "mathematics", "name": "Mathematics", "kind": "skill"},
                {"item": "degree-mathematics", "name": "Mathematics", "kind": "degree"},
            ],
        }
    ]
    assert any("counts for both" in note for note in data["notes"])


def test_statistics_credits_the_ml_engineers_statistics_degree(cli: Any) -> None:
    fits = fit_json(cli, "--have", "statistics")
    mle = next(f for f in fits if f["role"] == "mle")
    assert [(m["item"], m["weight"]) for m in mle["matched"]] == [("degree-statistics", 0.219)]
    assert matched(fits, "ds") == {"statistical-analysis", "degree-statistics"}


@pytest.mark.parametrize(
    ("have", "items"),
    [
        ("statistics degree", {"degree-statistics"}),
        ("degree in mathematics", {"degree-mathematics"}),
        ("machine learning degree", {"degree-machine-learning"}),
        ("ML", {"machine-learning", "degree-machine-learning"}),
    ],
)
def test_saying_degree_means_only_the_degree(cli: Any, have: str, items: set[str]) -> None:
    code, out, err = cli("fit", "--have", have, "--format", "json")
    assert code == 0, err
    words = json.loads(out)["words"]
    assert {m["item"] for w in words for m in w["matched"]} == items


def test_repeated_have_options_add_up(cli: Any) -> None:
    fits = fit_json(cli, "--have", "python", "--have", "sql")
    assert matched(fits, "ds") == {"python", "sql"}


def test_spaces_separate_names_like_commas_and_longest_names_win(cli: Any) -> None:
    spaced = fit_json(cli, "--have", "python sql statistics")
    assert spaced == fit_json(cli, "--have", "python,sql,statistics")
    code, out, err = cli(
        "fit", "--have", "deep learning power bi", "--have", "A/B testing, k8s", "-f", "json"
    )
    assert code == 0, err
    words = [w["word"] for w in json.loads(out)["words"]]
    assert words == ["deep learning", "power bi", "A/B testing", "k8s"]


def test_an_unknown_word_among_spaces_is_a_warning_and_strict_an_error(cli: Any) -> None:
    code, out, err = cli("fit", "--have", "python blorp sql", "--format", "json")
    assert code == 0
    assert [w["word"] for w in json.loads(out)["words"]] == ["python", "sql"]
    assert "not recognised (ignored): 'blorp'" in err
    assert err.count("\n") == 1  # one line, no traceback
    code, out, err = cli("fit", "--have", "python blorp sql", "--strict")
    assert (code, out) == (2, "")
    assert "'blorp'" in err
    assert "e.g. --have python,sql,statistics" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
@pytest.mark.parametrize("how", [["--list"], ["--have", "list"]])
def test_fit_lists_every_term_it_knows(cli: Any, fmt: str, how: list[str]) -> None:
    code, out, err = cli("fit", *how, "--format", fmt)
    assert code == 0, err
    if fmt == "table":  # names grouped by kind, to fit on one screen; the rest in csv/json
        for text in ("Skills (", "Deep learning", "Tools (", "Power BI", "Degrees (", "--format"):
            assert text in out
        return
    for text in ("deep-learning", "neural networks", "degree-statistics", "k8s", "power-bi"):
        assert text in out
    if fmt == "json":
        rows = json.loads(out)["fit"]
        assert {r["kind"] for r in rows} == {"skill", "tool", "degree"}
        stats = next(r for r in rows if r["id"] == "degree-statistics")
        assert stats["also_matches"] == ["Statistical analysis (skill)"]


def test_completion_offers_have_values(run_subprocess: Any) -> None:
    done = run_subprocess(
        env={
            "_ROLECOMPARE_COMPLETE": "complete_bash",
            "COMP_WORDS": "rolecompare fit --have python,deep",
            "COMP_CWORD": "3",
        }
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["python,deep learning"]


def test_have_completion_reads_only_the_vocabulary() -> None:
    code = (
        "import sys; from rolecompare.completion import term_names; names = term_names(None); "
        "assert 'k8s' in names and 'statistics' in names, names; "
        "print(sorted(m for m in ('rich', 'pydantic', 'tomllib') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_fit_speaks_in_points_not_percent(cli: Any, fmt: str) -> None:
    code, out, err = cli("fit", "--have", "python,sql,statistics", "--format", fmt)
    assert code == 0, err
    score = next(line for line in out.splitlines() if "Score" in line and "points" in line)
    assert "%" not in score
    assert " pp" not in out
    if fmt != "csv":
        assert "DS +4.1 points" in out  # the lead, in points
        assert "You have 12.8 of the 100 weighted points that Data Scientist postings" in " ".join(
            out.split()
        )


def test_learn_next_is_labelled_and_degrees_are_apart(cli: Any) -> None:
    code, out, err = cli("fit", "--have", "python,sql,docker,k8s,statistics", "--format", "json")
    assert code == 0, err
    rows = {r["label"]: r for r in json.loads(out)["sections"][0]["rows"]}
    for role in ("ds", "mle"):
        learn = rows["Learn next"]["texts"][role]
        degrees = rows["Degrees asked for"]["texts"][role]
        assert learn
        assert all("(skill," in t or "(tool," in t for t in learn)
        assert degrees
        assert all("(degree," in t for t in degrees)
        every = learn + degrees + rows["You have"]["texts"][role]
        assert len(every) == len(set(every))
    # the skill and the degree of the same name, told apart by their kind
    assert "Machine learning (skill, +6.1 points)" in rows["Learn next"]["texts"]["mle"]
    assert "Machine Learning (degree, +4 points)" in rows["Degrees asked for"]["texts"]["mle"]


def test_student_persona_python_sql_statistics(cli: Any) -> None:
    """The student: "I know Python, SQL and statistics: which role fits, what next?"."""
    fits = fit_json(cli, "--have", "python,sql,statistics")
    assert [f["role"] for f in fits] == ["ds", "mle"]
    weights = {(f["role"], m["item"]): m["weight"] for f in fits for m in f["matched"]}
    # 365 Data Science: Python 56.7% / 77.4%, SQL 30.4% / 26.1%, Statistics degree 17.2% / 21.9%
    assert weights == {
        ("ds", "python"): 0.567,
        ("ds", "sql"): 0.304,
        ("ds", "statistical-analysis"): 0.25,  # named in the DS job-specific skills
        ("ds", "degree-statistics"): 0.172,
        ("mle", "python"): 0.774,
        ("mle", "sql"): 0.261,
        ("mle", "degree-statistics"): 0.219,
    }
    ds, mle = fits
    assert (ds["score"], mle["score"]) == (12.8, 8.7)
    assert mle["missing"][0]["item"] == "machine-learning"  # 88.3%, the most asked for


def test_fit_names_only_the_sources_its_items_come_from(cli: Any) -> None:
    code, out, err = cli("fit", "--have", "python", "--format", "json")
    assert code == 0, err
    # the job-posting article and ACTE's lists; not BLS or O*NET, which fit does not score
    assert [s["id"] for s in json.loads(out)["sources"]] == ["365datascience", "acte"]
