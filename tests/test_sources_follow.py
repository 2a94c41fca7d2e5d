"""Sources a reader can follow: `sources` says what a saved page does not give (its URL,
author, date), every source shows when its data is from, and each comparison ends with
one line on how old its posting data is, derived from the KB's sources."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
POSTINGS = "Posting data: 365 Data Science, job listings on Indeed USA in 2024"


def sources_json(cli: Any, *kb: str) -> dict[str, dict[str, Any]]:
    code, out, err = cli(*kb, "sources", "--format", "json")
    assert code == 0, err
    return {s["id"]: s for s in json.loads(out)["sources"]}


def test_sources_say_what_a_saved_page_does_not_give(cli: Any) -> None:
    found = sources_json(cli)
    assert found["acte"]["not_given"] == ["url", "author", "date", "data_date"]
    assert found["365datascience"]["not_given"] == ["url"]
    assert found["bls-ooh"]["not_given"] == ["author"]
    assert found["acte"]["url"] is None  # not reported stays null, never invented
    _, out, _ = cli("sources")
    blocks = {b.split()[1]: b for b in out.split("\n\n") if b.startswith("id ")}
    assert re.search(r"not_given\s+url; author; date; data_date", blocks["acte"])
    assert re.search(r"not_given\s+url\n", blocks["365datascience"] + "\n")


def test_every_source_shows_its_datas_date(cli: Any) -> None:
    found = sources_json(cli)
    assert found["365datascience"]["data_date"] == "job listings on Indeed USA in 2024"
    assert found["bls-ooh"]["data_date"].startswith("pay: May 2024")
    assert found["onet"]["data_date"].startswith("O*NET 29.2 (February 2025 release)")
    _, out, _ = cli("sources", "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["365datascience"]["data_date"] == "job listings on Indeed USA in 2024"
    assert rows["acte"]["not_given"] == "url; author; date; data_date"


COMMANDS = ["skills", "tools", "education", "salary", "path", "summary", "work"]


def posting_sources() -> dict[str, str]:
    """Each bundled source that counts job postings, with its data's date, read from the
    source files themselves: {id: "publisher, data_date"}."""
    found = {}
    for path in sorted((ROOT / "data" / "sources").iterdir()):
        raw = path.read_text(encoding="utf-8")
        source = (tomllib.loads(raw) if path.suffix == ".toml" else json.loads(raw))["source"]
        if source.get("postings"):
            found[source["id"]] = f"{source['publisher']}, {source['data_date']}"
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_each_comparison_ends_with_its_posting_data_line(cli: Any, command: str) -> None:
    _, out, _ = cli(command, "--format", "json")
    report = json.loads(out)
    dated = posting_sources()
    shown = [dated[s["id"]] for s in report["sources"] if s["id"] in dated]
    line = "Posting data: " + "; ".join(shown)
    assert POSTINGS in line  # 365 Data Science's postings are in every comparison
    assert report["posting_data"] == line
    for fmt in ("table", "markdown"):
        _, out, _ = cli(command, "--format", fmt)
        assert " ".join(out.split()).endswith(" ".join(line.split())), fmt
    _, out, _ = cli(command, "--format", "csv")  # CSV: not in the rows (docs/json.md)
    assert "Posting data" not in out


def test_posting_line_in_svg_and_html(cli: Any) -> None:
    _, out, _ = cli("skills", "--format", "svg")
    assert "Posting" in out
    assert "Indeed" in out
    _, out, _ = cli("report", "--out", "-")
    assert re.search(f'<p class="postings">{re.escape(POSTINGS)}(; [^<]+)?</p>', out)
    assert "<dt>Not given</dt><dd>url, author, date, data date</dd>" in out
    assert "<dt>Data from</dt><dd>job listings on Indeed USA in 2024</dd>" in out


def test_posting_line_comes_from_the_kb_not_the_code(cli: Any, tmp_path: Path) -> None:
    """Any KB: another source marked as counting postings is named with its own date."""
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "data", kb)
    acte = kb / "sources" / "acte.toml"
    acte.write_text(
        acte.read_text(encoding="utf-8")
        + 'data_date = "postings of March 2031"\npostings = true\n',
        encoding="utf-8",
    )
    code, out, err = cli("--kb", kb, "path", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["posting_data"] == (f"{POSTINGS}; ACTE, postings of March 2031")
    src = kb / "sources" / "365datascience.toml"
    src.write_text(
        src.read_text(encoding="utf-8").replace("postings = true\n", ""), encoding="utf-8"
    )
    for sid in ("asaniczka-2024", "data-jobs-2023"):
        (kb / "sources" / f"{sid}.json").write_text(
            (kb / "sources" / f"{sid}.json")
            .read_text()
            .replace('"postings": true', '"postings": false')
        )
    code, out, _ = cli("--kb", kb, "skills")
    assert out.rstrip("\n").splitlines()[-1] == (
        "Posting data: not given (no source here dates any job postings)"
    )
