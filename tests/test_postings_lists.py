"""`import postings` reads every way a skills cell is written to the same names: Python
list literals and JSON arrays (any spacing, escapes, a trailing comma), `|` and `,` lists;
names written as the vocabulary writes them, in other case, spacing or punctuation, or
as an alias; each posting counting a term once, repeats as one posting. Every k below
was worked out by hand from ROWS."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

# (skills cell, the terms it names). Every title is "Data Scientist" and every row its own
# posting (company and location differ) but the last, a repeat of the first.
ROWS = [
    ("['Python', 'SQL']", {"python", "sql"}),
    ('["Python", "R"]', {"python", "r"}),
    ("[ 'python','sql' ,  'Scikit Learn', ]", {"python", "sql", "scikit-learn"}),
    ("['It\\'s', 'Docker']", {"docker"}),
    ("['  Tableau  ', '', '   ']", {"tableau"}),
    ("['PYTHON', 'python', 'Python', 'py']", {"python"}),
    ("Python|T-SQL", {"python", "sql"}),
    (" Python , rlang ", {"python", "r"}),
    ("[]", set()),
    ("['say \"hi\"', 'MS  Excel']", {"excel"}),
    ("['sklearn', 'scikit-learn', 'Not A Term']", {"scikit-learn"}),
    ("none", set()),
    ("", set()),
]
REPEAT = ("['Docker']", {"docker"})  # same title, company and location as the first row
WANT = {"python": 6, "sql": 3, "r": 2, "scikit-learn": 2, "docker": 2, "tableau": 1, "excel": 1}


def _corpus(path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["job_title", "company_name", "job_location", "job_skills"])
        for i, (cell, _) in enumerate(ROWS):
            out.writerow(["Data Scientist", f"Company {i}", f"City {i}", cell])
        out.writerow(["Data Scientist", "Company 0", "City 0", REPEAT[0]])
    return path


def test_every_way_of_writing_a_list_names_the_same_terms(cli: Any, tmp_path: Path) -> None:
    # The hand count agrees with ROWS' own term sets (a check of WANT, not of the tool).
    counted: dict[str, int] = {}
    for terms in [ROWS[0][1] | REPEAT[1], *(t for _, t in ROWS[1:])]:
        for term in terms:
            counted[term] = counted.get(term, 0) + 1
    assert counted == WANT
    data = _corpus(tmp_path / "lists.csv")
    code, _, err = cli("import", "postings", data, "--out", tmp_path / "kb")
    assert code == 0, err
    assert f"{len(ROWS) + 1} rows, 1 repeats dropped, {len(ROWS)} postings" in err
    figures = json.loads((tmp_path / "kb" / "facts" / "lists" / "ds.json").read_text())
    shares = {f["item"]: f["share"] for f in figures["figures"] if f.get("share")}
    assert shares == {term: {"k": k, "n": len(ROWS)} for term, k in WANT.items()}
