"""Posting profiles (KB folder postings/<source>/<role>.json, rolecompare.kb.profiles):
the hand-made corpus gives the sets and list lengths worked out by hand in
tests/fixtures/postings/README.md; `validate` names each bad file and field on one line;
`verify --sources` fails on any difference; start-up commands never read them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "postings" / "corpus.csv"

# Worked out by hand from corpus.csv (the section "Posting profiles" of
# tests/fixtures/postings/README.md); rows are the CSV's data rows, a repeat's terms and
# skills joined to its first row's.
DS_SETS = [
    [2, []],  # 6 ([]), 14 (Juggling, origami)
    [2, ["python"]],  # 8, 13 (python, juggling)
    [2, ["python", "scikit-learn"]],  # 4, 9
    [1, ["excel", "python", "sql"]],  # 16
    [1, ["python", "pytorch"]],  # 15 (py, pytorch)
    [1, ["python", "r"]],  # 2 with its repeat 12
    [1, ["python", "r", "sql"]],  # 1 (python, sql) with its repeat 11 (python, r)
    [1, ["python", "sql", "tableau"]],  # 3
    [1, ["r", "scikit-learn"]],  # 5 (sklearn, R)
    [1, ["r", "sql"]],  # 10
    [1, ["sql"]],  # 7
]
DS_LISTED = {"0": 1, "1": 2, "2": 8, "3": 3}  # 0: row 6; 1: 7, 8; 3: 1, 3, 16
MLE_SETS = [
    [2, ["docker", "kubernetes", "python"]],  # 18, 24 (k8s)
    [2, ["pytorch"]],  # 22, 25 (torch, origami)
    [1, ["aws", "python"]],  # 27
    [1, ["cpp", "python"]],  # 21
    [1, ["python", "pytorch"]],  # 17 with its repeat 23
    [1, ["python", "tensorflow"]],  # 19
    [1, ["sql"]],  # 20
    [1, ["tensorflow"]],  # 26 (TF)
]
MLE_LISTED = {"1": 3, "2": 5, "3": 2}  # 1: 20, 22, 26; 3: 18, 24


def _import(cli: Any, out: Path, *extra: str | Path, data: Path = CORPUS) -> Path:
    code, _, err = cli("import", "postings", data, "--out", out, *extra)
    assert code == 0, err
    return out


def _profile(kb: Path, role: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((kb / "postings" / "corpus" / f"{role}.json").read_text())
    return doc


def test_the_corpus_gives_the_sets_and_list_lengths_worked_out_by_hand(
    cli: Any, tmp_path: Path
) -> None:
    kb = _import(cli, tmp_path / "kb")
    for role, n, sets, listed in (
        ("ds", 14, DS_SETS, DS_LISTED),
        ("mle", 10, MLE_SETS, MLE_LISTED),
    ):
        doc = _profile(kb, role)
        assert (doc["source"], doc["role"], doc["postings"]) == ("corpus", role, n)
        assert doc["counted"]["file"] == "corpus.csv"
        assert doc["counted"]["rule"] == "postings-1"
        assert doc["sets"] == sets
        assert doc["listed"] == listed
        assert sum(c for c, _ in doc["sets"]) == n == sum(doc["listed"].values())


def test_terms_restricts_the_shares_but_never_the_profiles(cli: Any, tmp_path: Path) -> None:
    kb = _import(cli, tmp_path / "kb", "--terms", "python")
    assert _profile(kb, "ds")["sets"] == DS_SETS
    facts = json.loads((kb / "facts" / "corpus" / "ds.json").read_text())["figures"]
    assert [f["item"] for f in facts if f.get("share")] == ["python"]


def test_load_profiles_gives_k_of_n_and_the_sets(cli: Any, tmp_path: Path) -> None:
    from rolecompare.kb.load import validate_dir
    from rolecompare.kb.profiles import load_profiles

    kb = _import(cli, tmp_path / "kb")
    ds, mle = load_profiles(validate_dir(kb), kb)
    assert (ds.source, ds.role, ds.n, mle.role, mle.n) == ("corpus", "ds", 14, "mle", 10)
    assert ds.share("python") == (9, 14)  # the fixture README's ds python 9
    assert ds.share("r") == (4, 14)
    assert mle.share("kubernetes") == (2, 10)
    assert ds.share("kubernetes") == (0, 14)
    assert ds.sets[0] == (2, frozenset())
    assert dict(mle.listed) == {1: 3, 2: 5, 3: 2}
    assert ds.path.endswith("postings/corpus/ds.json")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('"postings": 14', '"postings": 15', "listed", "add up to 14, not 15"),
        ('[1, ["sql"]]', '[2, ["sql"]]', "sets", "add up to 15, not 14"),
        ('[1, ["sql"]]', '[1, ["sequel"]]', "sets[10]", "'sequel' is not a term of the KB"),
        ('"role": "ds"', '"role": "de"', "role", "'de' is not a role of the KB"),
        ('"listed": {', '"extra": 1, "listed": {', "extra", "unknown field"),
        ('[1, ["r", "sql"]]', '[1, ["sql", "r"]]', "sets[9]", "not distinct and sorted"),
        (
            '[1, ["r", "sql"]]',
            '[1, ["r", "scikit-learn", "sql"]]',
            "sets",
            "scikit-learn: k is 3 in the facts but 4 here",
        ),
    ],
    ids=["sum-listed", "sum-sets", "term", "role", "field", "order", "facts"],
)
def test_validate_names_the_file_line_and_field_of_a_bad_profile(
    cli: Any, tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    kb = _import(cli, tmp_path / "kb")
    _edit(kb / "postings" / "corpus" / "ds.json", old, new)
    code, out, err = cli("validate", kb)
    assert (code, out) == (1, "")
    lines = err.strip().splitlines()
    assert len(lines) >= 1, err
    hit = [ln for ln in lines if message in ln]
    assert hit, err
    assert "kb/postings/corpus/ds.json:" in hit[0]
    assert f" {field}: " in hit[0], hit[0]


def test_a_profile_that_is_no_json_or_stray_is_one_line_each(cli: Any, tmp_path: Path) -> None:
    kb = _import(cli, tmp_path / "kb")
    (kb / "postings" / "corpus" / "mle.json").write_text('{"source": ')
    (kb / "postings" / "corpus" / "notes.txt").write_text("mine")
    code, _, err = cli("validate", kb)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert "kb/postings/corpus/mle.json:1: not valid JSON" in lines[0]
    assert "kb/postings/corpus/notes.txt: not a profile" in lines[1]


def test_verify_recounts_the_profiles_and_fails_on_a_difference(cli: Any, tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    (sources / "postings").mkdir(parents=True)
    (sources / "postings" / "corpus.csv").write_bytes(CORPUS.read_bytes())
    data = sources / "postings" / "corpus.csv"
    kb = _import(cli, tmp_path / "kb", "--sources-root", sources, data=data)
    code, _, err = cli("verify", "--kb", kb, "--sources", sources)
    assert (code, err) == (0, "")
    profile = kb / "postings" / "corpus" / "mle.json"
    # {aws, python} and {sql} made {aws, sql} and {python}: every term's k, the sums and
    # the order still agree, so the KB validates, but the file gives other sets.
    _edit(profile, '[1, ["aws", "python"]]', '[1, ["aws", "sql"]]')
    _edit(
        profile, '[1, ["python", "pytorch"]],', '[1, ["python"]],\n    [1, ["python", "pytorch"]],'
    )
    _edit(profile, '[1, ["sql"]],\n    ', "")
    code, _, err = cli("validate", kb)
    assert code == 0, err
    code, _, err = cli("verify", "--kb", kb, "--sources", sources)
    assert code == 1
    assert err.count("\n") == 1, err
    assert "kb/postings/corpus/mle.json: sets: mle: the sets of terms differ" in err
    assert "from sets[2] on" in err


def test_skills_help_and_version_never_read_the_profiles(run_subprocess: Any) -> None:
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('rolecompare.kb.profiles' in sys.modules, "
        "file=sys.stderr))\n"
        "from rolecompare.main import main\n"
        "main(sys.argv[1:])\n"
    )
    seen = []
    for argv in (["--version"], ["--help"], ["skills"]):
        done = run_subprocess(*argv, python_args=("-c", probe))
        assert done.returncode == 0, done.stderr
        seen.append(done.stderr.strip().splitlines()[-1])
    assert seen == ["False"] * 3


def test_the_bundled_kb_validates_with_its_profiles(cli: Any) -> None:
    from rolecompare.kb.files import bundled_kb
    from rolecompare.kb.load import load_kb
    from rolecompare.kb.profiles import load_profiles

    code, _, err = cli("validate")
    assert (code, err) == (0, ""), err
    found = [(p.source, p.role) for p in load_profiles(load_kb(), bundled_kb())]
    assert found == [
        ("asaniczka-2024", "ds"),
        ("asaniczka-2024", "mle"),
        ("data-jobs-2023", "ds"),
        ("data-jobs-2023", "mle"),
    ]


def test_the_order_of_rows_and_a_repeated_row_change_no_profile(cli: Any, tmp_path: Path) -> None:
    import random

    head, *rows = CORPUS.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(22).shuffle(rows)
    rows.append(rows[0])  # one more copy of a posting: a repeat, dropped
    shuffled = tmp_path / "in" / "corpus.csv"
    shuffled.parent.mkdir()
    shuffled.write_text(head + "".join(rows), encoding="utf-8")
    kb = _import(cli, tmp_path / "kb", data=shuffled)
    for role, sets, listed in (("ds", DS_SETS, DS_LISTED), ("mle", MLE_SETS, MLE_LISTED)):
        doc = _profile(kb, role)
        assert (doc["sets"], doc["listed"]) == (sets, listed)
