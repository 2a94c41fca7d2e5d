"""Rebuild the bundled KB's three posting analyses from the pinned datasets in ../shared.

    .venv/bin/python scripts/postings_kb.py            # rewrites data/sources/<id>.json,
                                                       # data/facts/<id>/*.json and the
                                                       # posting profiles data/postings/<id>/*.json
    .venv/bin/python scripts/postings_kb.py --check    # exit 1 if data/ differs
    .venv/bin/python scripts/ship_kb.py                # then ship the KB

It runs `rolecompare import postings` on data-jobs-2023, asaniczka-2024 and
aijobs-salaries (pay of US answers in 2024, the survey's most frequent country and year,
every level together: each level's pay would not fit a terminal's page)
with the terms below, and copies the sources, facts and posting profiles (every term of
the vocabulary, not only those below) it writes into data/.
tests/test_postings_bundled.py checks that the shipped files are what this gives.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FILES = [
    "sources/postings/data-jobs-2023/data_jobs_salary_all.csv",
    "sources/postings/asaniczka-2024/postings_with_skills.csv",
    "sources/postings/aijobs-salaries/salaries.csv",
]
IDS = ["data-jobs-2023", "asaniczka-2024", "aijobs-salaries"]
FOLDERS = ["facts", "postings"]  # each analysis's facts, and its posting profiles
# data-jobs-2023's pay is left out: it mixes countries, and its job_country column is
# wrong for thousands of rows (sources/postings/README.md), so no one country's posted
# pay can be counted from it yet.
PAY_FROM = ["aijobs-salaries"]
# What the bundled KB shows of each analysis: the languages, AI skills and cloud skills 365
# Data Science reports a share of, and PyTorch, the AI framework postings ask for most; few
# enough that every figure shows within a terminal's first 40 lines at 80 columns
# (tests/test_output.py). The posting profiles hold every term, for fit, plan and check;
# `import postings` without --terms counts every term.
TERMS = [
    "python",
    "r",
    "sql",
    "java",
    "aws",
    "microsoft-azure",
    "docker",
    "kubernetes",
    "pytorch",
    "machine-learning",
    "ai",
    "nlp",
    "deep-learning",
    "apis",
]


def build(out: Path) -> None:
    """Run the import into out (a new folder)."""
    from rolecompare.main import run

    args = [
        "import",
        "postings",
        *(str(SHARED / f) for f in FILES),
        "--pay-from",
        ",".join(PAY_FROM),
        "--out",
        str(out),
        "--sources-root",
        str(SHARED),
        "--terms",
        ",".join(TERMS),
        "--in-country",
        "US",
        "--in-year",
        "2024",
        "--no-levels",
    ]
    code = run(args)
    if code != 0:
        raise SystemExit(code)


def built_files(kb: Path) -> dict[str, bytes]:
    """The files the bundled KB takes from an import: by their path inside data/."""
    files = {}
    for sid in IDS:
        files[f"sources/{sid}.json"] = (kb / "sources" / f"{sid}.json").read_bytes()
        for folder in FOLDERS:
            for fact in sorted((kb / folder / sid).glob("*.json")):
                files[f"{folder}/{sid}/{fact.name}"] = fact.read_bytes()
    return files


def shipped_files(data: Path) -> dict[str, bytes]:
    files = {}
    for sid in IDS:
        source = data / "sources" / f"{sid}.json"
        if source.exists():
            files[f"sources/{sid}.json"] = source.read_bytes()
        for folder in FOLDERS:
            for fact in sorted((data / folder / sid).glob("*.json")):
                files[f"{folder}/{sid}/{fact.name}"] = fact.read_bytes()
    return files


def main(argv: list[str]) -> int:
    if not (SHARED / FILES[0]).is_file():
        print(f"postings_kb: the pinned datasets are not in {SHARED}", file=sys.stderr)
        return 1
    data = ROOT / "data"
    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "kb"
        build(kb)
        new = built_files(kb)
    if "--check" in argv:
        old = shipped_files(data)
        differ = sorted(k for k in new.keys() | old.keys() if new.get(k) != old.get(k))
        for name in differ:
            print(f"data/{name}: differs from what the pinned datasets give", file=sys.stderr)
        return 1 if differ else 0
    for sid in IDS:
        for folder in FOLDERS:
            shutil.rmtree(data / folder / sid, ignore_errors=True)
    for name, content in new.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_bytes(content)
    print(f"wrote {len(new)} files in {data}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
