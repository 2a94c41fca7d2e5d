"""`rolecompare import postings`: the hand-made corpus (tests/fixtures/postings/README.md
works out every figure) gives exactly those figures, through the CLI and the KB it writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "postings" / "corpus.csv"

DS = {
    "python": 9,
    "sql": 5,
    "r": 4,
    "scikit-learn": 3,
    "tableau": 1,
    "pytorch": 1,
    "excel": 1,
}
MLE = {
    "python": 6,
    "pytorch": 3,
    "docker": 2,
    "kubernetes": 2,
    "tensorflow": 2,
    "sql": 1,
    "aws": 1,
    "cpp": 1,
}
PAY = {
    "ds": (7, 96000.0, 105000.0, 125000.0, 145000.0, 154000.0),
    "mle": (4, 156000.0, 165000.0, 175000.0, 185000.0, 194000.0),
}


def _facts(kb: Path, role: str) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = json.loads(
        (kb / "facts" / "corpus" / f"{role}.json").read_text()
    )["figures"]
    return figures


def _import(cli: Any, tmp_path: Path, *extra: str | Path) -> tuple[int, str, str, Path]:
    out = tmp_path / "kb"
    code, stdout, stderr = cli("import", "postings", CORPUS, "--out", out, *extra)
    return code, stdout, stderr, out


def test_the_hand_made_corpus_gives_the_figures_worked_out_by_hand(
    cli: Any, tmp_path: Path
) -> None:
    code, _, err, kb = _import(cli, tmp_path)
    assert code == 0, err
    assert "38 rows, 4 repeats dropped, 34 postings: 14 ds, 10 mle" in err
    assert "9 name no role, 1 name two roles (not counted)" in err
    for role, want in (("ds", DS), ("mle", MLE)):
        n = {"ds": 14, "mle": 10}[role]
        shares = {f["item"]: f["share"] for f in _facts(kb, role) if f.get("share")}
        assert shares == {term: {"k": k, "n": n} for term, k in want.items()}


def test_pay_is_annual_only_with_its_percentiles_and_called_posted(
    cli: Any, tmp_path: Path
) -> None:
    code, _, err, kb = _import(cli, tmp_path)
    assert code == 0, err
    for role, (n, p10, p25, median, p75, p90) in PAY.items():
        (fig,) = [f for f in _facts(kb, role) if f.get("pay")]
        assert (fig["topic"], fig["item"]) == ("survey-pay", "posted-pay")
        assert fig["pay"] == {
            "n": n,
            "p10": p10,
            "p25": p25,
            "median": median,
            "p75": p75,
            "p90": p90,
            "currency": "USD",
            "period": "year",
            "basis": "posted",
        }
        assert fig["counted"]["where"] == {"role": role, "rate": "year"}


def test_each_figure_records_its_file_sha256_and_rule(cli: Any, tmp_path: Path) -> None:
    import hashlib

    code, _, err, kb = _import(cli, tmp_path, "--sources-root", ROOT / "tests")
    assert code == 0, err
    digest = hashlib.sha256(CORPUS.read_bytes()).hexdigest()
    for fig in _facts(kb, "ds"):
        assert fig["counted"]["file"] == "fixtures/postings/corpus.csv"
        assert fig["counted"]["sha256"] == digest
        assert fig["counted"]["rule"] == "postings-2"
    code, _, err = cli("validate", kb)
    assert code == 0, err


def test_the_most_frequent_unknown_skills_are_listed(cli: Any, tmp_path: Path) -> None:
    code, out, err, _ = _import(cli, tmp_path, "--unknown", "5")
    assert code == 0, err
    assert out.splitlines() == ["2\tJuggling\tcorpus", "2\torigami\tcorpus"]


def test_skills_help_version_and_completion_never_import_duckdb(run_subprocess: Any) -> None:
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('duckdb' in sys.modules, file=sys.stderr))\n"
        "from rolecompare.main import main\n"
        "main(sys.argv[1:])\n"
    )
    complete = {
        "_ROLECOMPARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "rolecompare skills --roles ",
        "COMP_CWORD": "3",
    }
    runs: list[tuple[list[str], dict[str, str]]] = [
        (["--version"], {}),
        (["--help"], {}),
        ([], complete),
        (["skills"], {}),
        (["import", "postings", "--help"], {}),
    ]
    seen = []
    for argv, env in runs:
        done = run_subprocess(*argv, python_args=("-c", probe), env=env)
        assert done.returncode == 0, done.stderr
        seen.append(done.stderr.strip().splitlines()[-1])
    assert seen == ["False"] * 5


@pytest.mark.parametrize("flag", ["--title", "--skills", "--salary"])
def test_a_column_flag_naming_no_column_is_a_usage_error(
    cli: Any, tmp_path: Path, flag: str
) -> None:
    code, _, err, out = _import(cli, tmp_path, flag, "nope")
    assert code == 2
    assert "no column 'nope'" in err
    assert not out.exists()


def _imported_for_verify(cli: Any, tmp_path: Path) -> tuple[Path, Path]:
    """The corpus imported with its path recorded inside a sources folder of its own."""
    sources = tmp_path / "sources"
    (sources / "postings").mkdir(parents=True)
    (sources / "postings" / "corpus.csv").write_bytes(CORPUS.read_bytes())
    kb = tmp_path / "kb"
    code, _, err = cli(
        "import", "postings", sources / "postings" / "corpus.csv", "--out", kb,
        "--sources-root", sources,
    )  # fmt: skip
    assert code == 0, err
    return kb, sources


def test_verify_recounts_every_counted_figure_from_its_file(cli: Any, tmp_path: Path) -> None:
    kb, sources = _imported_for_verify(cli, tmp_path)
    code, _, err = cli("verify", "--kb", kb, "--sources", sources)
    assert (code, err) == (0, "")
    facts = kb / "facts" / "corpus" / "ds.json"
    text = facts.read_text()
    changed = text.replace('"share": {"k": 9, "n": 14}', '"share": {"k": 8, "n": 14}')
    changed = changed.replace('"median": 125000.0', '"median": 125001.0')
    assert changed.count("\n") == text.count("\n")
    assert changed != text
    facts.write_text(changed)
    code, _out, err = cli("verify", "--kb", kb, "--sources", sources)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert "figures[" in lines[0]
    assert "ds python: k is 8 here but 9 counted from the file" in err
    assert "ds: median is 125,001.0 here but 125,000.0 counted from the file" in err


def test_verify_refuses_a_dataset_whose_sha256_differs(cli: Any, tmp_path: Path) -> None:
    kb, sources = _imported_for_verify(cli, tmp_path)
    data = sources / "postings" / "corpus.csv"
    data.write_bytes(data.read_bytes().replace(b"Acme", b"Acmf", 1))
    code, _, err = cli("verify", "--kb", kb, "--sources", sources)
    assert code == 1
    assert "SHA-256" in err or "sha256" in err
    assert "counted from the file" not in err  # never counted


HEAD = "job_title,company_name,job_location,job_skills\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            HEAD + "Data Scientist,A,B,\"['python'\n",
            "line 2: cannot read it: Value with unterminated",
        ),
        (HEAD + "Data Scientist,A,B,['python'],extra\n", "line 2: cannot read it: Expected Number"),
        (HEAD + "Data Scientist,A\xff,B,['python']\n", "line 2: not valid UTF-8 text"),
        (HEAD + "Data Scientist,A\0,B,['python']\n", "line 2: holds a NUL byte"),
        (
            HEAD + "Data Scientist,A,B,\"[__import__('os').system('touch PWNED')]\"\n",
            "row 1: column job_skills: not a list of quoted names",
        ),
        (HEAD + "Data\x1b[2J Scientist,A,B,['python']\n", "row 1: column job_title: holds control"),
        (
            HEAD + 'Data Scientist,A,B,[]\n"=HYPERLINK(""http://x"")",A,B,[]\n',
            "row 2: column job_title: looks like a spreadsheet formula",
        ),
        (
            HEAD + 'Data Scientist,A,B,"' + "x" * 10_000_000 + '"\n',
            "line 2: a line or cell is longer",
        ),
    ],
    ids=["truncated", "ragged", "utf-8", "nul", "code", "control", "formula", "10-mb-cell"],
)
def test_bad_input_is_one_line_naming_the_file_and_row_and_writes_nothing(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content.encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff"))
    code, _, err = cli("import", "postings", bad, "--out", tmp_path / "kb")
    assert code == 1
    assert err.count("\n") == 1, err
    assert err.startswith(f"rolecompare: {bad}: {message}"), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]  # no KB, nothing else


@pytest.mark.parametrize("source", ["fifo", "/dev/zero", "folder"])
def test_a_fifo_a_device_or_a_folder_is_refused_without_reading_it(
    cli: Any, tmp_path: Path, source: str
) -> None:
    import os

    path = Path(source)
    if source == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    elif source == "folder":
        path = tmp_path
    code, _, err = cli("import", "postings", path, "--out", tmp_path / "kb")
    assert code == 1
    assert err == f"rolecompare: {path}: not a regular file; give a data file\n"
    assert not (tmp_path / "kb").exists()


def test_an_output_folder_that_is_not_empty_a_symlink_to_one_or_holds_the_input_is_refused(
    cli: Any, tmp_path: Path
) -> None:
    data = tmp_path / "in" / "corpus.csv"
    data.parent.mkdir()
    data.write_bytes(CORPUS.read_bytes())
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    (tmp_path / "link").symlink_to(full)
    for out, why in (
        (full, "folder is not empty"),
        (tmp_path / "link", "exists and is not a folder"),
        (data.parent, "which the import reads"),
        (data, "must not be written inside"),
    ):
        code, _, err = cli("import", "postings", data, "--out", out)
        assert code == 2, (out, err)
        assert err.count("\n") == 1, err
        assert err.startswith(f"rolecompare: {out}: "), err
        assert why in err, err
    assert (full / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in data.parent.iterdir()) == ["corpus.csv"]


@pytest.mark.parametrize("kind", ["jsonl", "parquet", "csv.gz"])
def test_json_lines_parquet_and_gzip_csv_give_the_csv_s_figures(
    cli: Any, tmp_path: Path, kind: str
) -> None:
    import csv
    import gzip

    with CORPUS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    path = tmp_path / f"corpus.{kind}"
    if kind == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif kind == "csv.gz":
        path.write_bytes(gzip.compress(CORPUS.read_bytes()))
    else:
        import duckdb

        duckdb.sql(
            f"COPY (SELECT * FROM read_csv('{CORPUS}', all_varchar = true)) "
            f"TO '{path}' (FORMAT parquet)"
        )
    code, _, err = cli("import", "postings", path, "--out", tmp_path / "kb")
    assert code == 0, err
    for role, want in (("ds", DS), ("mle", MLE)):
        n = {"ds": 14, "mle": 10}[role]
        shares = {
            f["item"]: f["share"]
            for f in json.loads(
                (tmp_path / "kb" / "facts" / "corpus" / f"{role}.json").read_text()
            )["figures"]
            if "share" in f
        }
        assert shares == {term: {"k": k, "n": n} for term, k in want.items()}
