"""One formatting layer: its functions say numbers as written, and every format says every
figure and every lead in the same words (the table, markdown, CSV, JSON, HTML and SVG)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from rolecompare.compare.report import PERCENT, Cell, Row
from rolecompare.render import format as fmt

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data"
KB3 = ROOT / "tests" / "fixtures" / "kb3"

# ---- the functions, against values written out by hand --------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [(160000, "160,000"), (12.345, "12.345"), (0.00001, "0.00001"), (1e-7, "0.0000001")],
)
def test_exact_is_never_rounded_nor_scientific(value: float, shown: str) -> None:
    assert fmt.exact(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [(160000, "160000"), (56.7, "56.7"), (0.00001, "0.00001"), (1e16, "1e16")]
)
def test_plain_numbers_for_spreadsheets(value: float, shown: str) -> None:
    if shown == "1e16":
        shown = "10000000000000000"
    assert fmt.plain(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [(19.0, "19.0"), (20.7, "20.7"), (0.04, "0.04"), (0.00001, "0.00001")]
)
def test_decimals_one_at_least_never_scientific(value: float, shown: str) -> None:
    assert fmt.decimals(value) == shown


def test_a_tiny_lead_is_not_in_scientific_notation() -> None:
    cells = {"a": Cell(("15.00001%",), 15.00001), "b": Cell(("15%",), 15.0)}
    row = Row("Python", "s", cells, "python", PERCENT, leader="a", lead=0.00001)
    assert fmt.lead_text(row) == "A +0.00001 pp"


def test_a_money_lead_is_money_in_every_format() -> None:
    cells = {
        "ds": Cell(("approximately $160,000 a year",), 160000, approximate=True),
        "mle": Cell(("$166,000 a year",), 166000),
    }
    row = Row("Average", "s", cells, "avg", "USD/year", leader="mle", lead=6000)
    assert fmt.lead_text(row) == "MLE about +$6,000"
    row.lead, row.leader = 0.0, None
    assert fmt.lead_text(row) == "tie"


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("19.70", PERCENT), "19.70%"),
        (
            ("160,000", "USD/year", True, "Glassdoor"),
            "approximately $160,000 a year (reported by Glassdoor)",
        ),
        (("100,000–160,000", "USD/year"), "$100,000–$160,000 a year"),
        (("54.13", "USD/hour"), "$54.13 an hour"),
        (("1,200", "CHF/month"), "1,200 CHF a month"),
        (("1,250", "count"), "1,250"),
        (("40", PERCENT, True), "approximately 40%"),
    ],
)
def test_figure_words(args: tuple[Any, ...], shown: str) -> None:
    assert fmt.figure_words(*args) == shown


def test_counted_figures_at_a_glance_and_in_detail() -> None:
    # 7,552 of 10,504 is 71.8964...%; its Wilson 95% interval is about 71.03 to 72.75.
    assert fmt.share_of(7552, 10504) == "71.9%"
    assert fmt.share_with_margin(7552, 10504, 71.03, 72.75) == "71.9% ±0.9"
    assert fmt.count_of(7552, 10504, "postings") == "7,552 of 10,504 postings"
    assert fmt.interval(71.03, 72.75) == "95% CI 71.0–72.8"
    assert (
        fmt.counted_detail(7552, 10504, "postings", 71.03, 72.75)
        == "7,552 of 10,504 postings, 95% CI 71.0–72.8"
    )
    assert fmt.n_text(10504) == "N = 10,504"
    assert fmt.share_with_margin(0, 20, 0.0, 16.1) == "0.0% ±16.1"
    with pytest.raises(ValueError, match="not a share"):
        fmt.share_of(3, 0)


# ---- every figure row of every command, in every format -------------------------------

COMMANDS: dict[str, list[str]] = {
    "skills": [],
    "tools": [],
    "education": [],
    "salary": [],
    "path": [],
    "summary": [],
    "work": [],
    "fit": ["--have", "python,sql"],
    "plan": ["--from", "ds", "--to", "mle"],
}


def _unmarkdown(text: str) -> str:
    """Markdown's backslash escapes read as the characters they stand for."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def _figure_rows(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(s["id"], r) for s in data["sections"] for r in s["rows"] if "figures" in r]


class _Cells(HTMLParser):
    """The text of each report table cell: (topic, item, source, role or "lead") -> text."""

    def __init__(self) -> None:
        super().__init__()
        self.topic = self.item = self.source = ""
        self.where: tuple[str, ...] | None = None
        self.depth = 0
        self.cells: dict[tuple[str, ...], str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.topic = a.get("data-topic") or ""
        elif tag == "tr":
            self.item, self.source = a.get("data-item") or "", a.get("data-source") or ""
        elif tag == "td":
            who = a.get("data-role") or ("lead" if a.get("class") == "lead" else "")
            self.where = (self.topic, self.item, self.source, who)
            self.cells[self.where] = ""
        elif tag == "details" and self.where:
            self.depth += 1  # the quotes: not the cell's own text
        elif tag in ("li", "p", "span", "div") and self.where and not self.depth:
            self.cells[self.where] += " "

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.where = None
        elif tag == "details" and self.where:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.where and not self.depth:
            self.cells[self.where] += data


def _svg_lines(svg: str) -> list[str]:
    """The lines of text of a Rich SVG, its segments joined in order."""
    lines: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]* y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        lines.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return ["".join(parts) for _, parts in sorted(lines.items(), key=lambda kv: float(kv[0]))]


def _from(lines: list[str], title: str) -> list[str]:
    """The lines from the one that holds a section's title on (all, if none does)."""
    at = next((i for i, line in enumerate(lines) if title in line), 0)
    return lines[at:]


def _line_of(lines: list[str], start: str, source: str | None = None) -> str:
    """The line whose first cell is start (not a title that begins with the same word);
    where rows of several sources share the label, the one that names source."""
    found = [
        line
        for line in lines
        if line.lstrip("│┃ |").startswith(start)
        and re.match(r"  | ?[│┃|]", line.lstrip("│┃ |")[len(start) :])
    ]
    tagged = [
        line
        for line in lines
        if source is not None and line.lstrip("│┃ |").startswith(f"{start} [{source}]")
    ]
    assert found or tagged, start
    return (tagged or found)[0]


@pytest.mark.parametrize("kb", [BUNDLED, KB3], ids=["bundled", "kb3"])
def test_every_figure_and_lead_reads_the_same_in_every_format(
    cli: Any, monkeypatch: pytest.MonkeyPatch, kb: Path
) -> None:
    from rolecompare.compare.roles import select_roles
    from rolecompare.compare.topics import compare
    from rolecompare.kb.load import load_kb
    from rolecompare.render.table import to_svg

    monkeypatch.setenv("COLUMNS", "1000")  # one line a row: no cell wraps
    seen = 0
    code, page, err = cli("--kb", kb, "report", "--out", "-")
    assert code == 0, err
    parser = _Cells()
    parser.feed(page)
    commands = dict(COMMANDS)
    if kb == KB3:
        commands["plan"] = ["--from", "ds", "--to", "mle"]
    for command, extra in commands.items():
        code, out, err = cli("--kb", kb, command, *extra, "--format", "json")
        assert code == 0, err
        data = json.loads(out)
        rows = _figure_rows(data)
        ids = [r["id"] for r in data["roles"]]
        details = [] if command in ("fit", "plan") else ["--details"]  # always whole
        table = cli("--kb", kb, command, *extra, *details)[1].splitlines()
        markdown = [
            _unmarkdown(x) for x in cli("--kb", kb, command, *extra, "-f", "md")[1].split("\n")
        ]
        rows_csv = list(
            csv.DictReader(io.StringIO(cli("--kb", kb, command, *extra, "-f", "csv")[1]))
        )
        svg_lines: list[str] = []
        if command not in ("fit", "plan"):
            loaded = load_kb(str(kb))
            report = compare(loaded, command, select_roles(loaded["roles"], None))
            if command == "path":
                from rolecompare.compare.ladders import career_paths

                report = career_paths(loaded, select_roles(loaded["roles"], None))
            svg_lines = _svg_lines(to_svg(report, width=1000, details=True))
        titles = {s["id"]: s["title"] for s in data["sections"]}
        for section, row in rows:
            texts = [row["figures"][rid]["text"] for rid in ids if row["figures"][rid]]
            words = [*texts, row["lead_text"] or ""]
            # The table and markdown: on the row's own line (the label starts it), in its
            # section (fit's and plan's analyses repeat a label, one section each).
            line = _line_of(_from(table, titles[section]), row["label"], row["source"])
            assert all(w in line for w in words), (command, line, words)
            md = _line_of(_from(markdown, titles[section]), row["label"], row["source"])
            assert all(w in md for w in words), (command, md, words)
            # CSV: in the figure and lead columns, exactly (a row without an item, such
            # as fit's, is told apart by its label).
            match = [
                r
                for r in rows_csv
                if (r["section"], r["item"], r["source"])
                == (section, row["item"] or "", row["source"])
                and (row["item"] or r["label"] == row["label"])
            ]
            assert match, (command, row["item"])
            for rid in ids:
                figure = row["figures"][rid]
                assert match[0][f"{rid}_figure"] == (figure["text"] if figure else "")
            assert match[0]["lead_text"] == (row["lead_text"] or "")
            if svg_lines:
                line = _line_of(svg_lines, row["label"], row["source"])
                assert all(w in line for w in words), (command, line, words)
            # HTML: each role's cell and the lead cell (the report covers these commands).
            planned = any(k[0].startswith("plan-") for k in parser.cells)
            if command == "fit" or (command == "plan" and not planned):
                continue  # the report has no fit, and a plan only for two roles
            topic = f"plan-{section}" if command == "plan" else section
            key = (topic, row["item"] or "", row["source"])
            for rid in ids:
                figure = row["figures"][rid]
                if figure:
                    cell = " ".join(parser.cells.get((*key, rid), "").split())
                    assert figure["text"] in cell, (command, key, rid, cell)
            if row["lead_text"]:
                lead = " ".join(parser.cells.get((*key, "lead"), "").split())
                assert lead == "Lead: " + row["lead_text"], (command, key, lead)
            seen += 1
    assert seen >= 5


def test_the_html_report_writes_the_salary_lead_as_money(cli: Any) -> None:
    code, page, err = cli("report", "--out", "-")
    assert code == 0, err
    assert "+6000 pp" not in page
    assert '<abbr title="Machine Learning Engineer">MLE</abbr> about +$6,000' in page
    assert "MLE</abbr> +19.0 pp" in page  # as the table says it, not "+19 pp"
    code, out, err = cli("skills")
    assert "MLE +19.0 pp" in out


# ---- CSV and JSON carry what the table carries ----------------------------------------


def test_csv_and_json_carry_approximately_the_reporter_and_the_quote(cli: Any) -> None:
    code, out, err = cli("salary", "--format", "csv")
    assert code == 0, err
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["item"] == "average-annual-salary")
    assert (row["ds"], row["mle"], row["lead"]) == ("160000", "166000", "6000")
    assert row["ds_figure"] == "approximately $160,000 a year (reported by Glassdoor)"
    assert (row["ds_approximate"], row["mle_approximate"]) == ("true", "false")
    assert row["ds_reported_by"] == "Glassdoor"
    assert row["lead_text"] == "MLE about +$6,000"
    assert "approximately $160,000" in row["ds_quotes"]
    above = next(r for r in csv.DictReader(io.StringIO(out)) if r["item"] == "postings-above-160k")
    assert above["notes"].startswith("[365datascience] The key-differences table")
    code, out, err = cli("salary", "--format", "json")
    rows = [r for s in json.loads(out)["sections"] for r in s["rows"]]
    average = next(r for r in rows if r["item"] == "average-annual-salary")
    assert average["figures"]["ds"]["approximate"] is True
    assert average["figures"]["mle"]["approximate"] is False
    assert average["figures"]["ds"]["written"] == "160,000"
    assert average["lead_text"] == "MLE about +$6,000"


@pytest.fixture(scope="module")
def onet_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Statisticians (15-2041.00) and Computer and Information Research Scientists
    (15-1221.00), imported from the O*NET slice: a Bachelor's share of 36.22% with
    Recommend Suppress = Y and N = 16, and a Master's share written "61.90"."""
    from rolecompare.main import run

    out = tmp_path_factory.mktemp("onet") / "kb"
    db = ROOT / "tests" / "fixtures" / "onet-29.2-slice"
    code = run(
        ["import", "onet", str(db), "--occupations", "15-2041.00,15-1221.00", "--out", str(out)]
    )
    assert code == 0
    return out


def test_csv_keeps_suppress_flags_n_and_digits_as_written(cli: Any, onet_kb: Path) -> None:
    code, out, err = cli("--kb", onet_kb, "education", "--format", "csv")
    assert code == 0, err
    rows = {r["item"]: r for r in csv.DictReader(io.StringIO(out))}
    masters = rows["education-masters-degree"]
    assert masters["15-2041-00"] == "61.90"  # not 61.9
    assert masters["15-2041-00_n"] == "21"
    bachelors = rows["education-bachelors-degree"]
    assert bachelors["15-1221-00"] == "36.22"
    assert bachelors["15-1221-00_qualifiers"] == (
        "Recommend Suppress = Y: O*NET recommends suppressing this value"
    )
    assert bachelors["15-1221-00_n"] == "16"
    assert "Recommend Suppress = Y" in bachelors["15-1221-00_quotes"]
    assert bachelors["15-2041-00_qualifiers"] == ""
    code, out, err = cli("--kb", onet_kb, "education", "--format", "json")
    data = json.loads(out)
    row = next(
        r for s in data["sections"] for r in s["rows"] if r["item"] == "education-bachelors-degree"
    )
    assert row["figures"]["15-1221-00"]["qualifiers"] == [
        "Recommend Suppress = Y: O*NET recommends suppressing this value"
    ]
    assert row["figures"]["15-1221-00"]["n"] == 16
    masters_json = next(
        r for s in data["sections"] for r in s["rows"] if r["item"] == "education-masters-degree"
    )
    assert masters_json["figures"]["15-2041-00"]["written"] == "61.90"


# ---- a row whose roles' figures differ in unit --------------------------------------------


def test_a_share_beside_a_count_shows_both_figures_at_a_glance(
    cli: Any, copy_kb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = copy_kb()
    path = kb / "facts" / "survey" / "mle.toml"
    text = path.read_text("utf-8")
    old = 'percent = 80\nquote = "Python (80%) for ML engineers"'
    assert old in text
    path.write_text(text.replace(old, 'count = 1250\nquote = "1,250 postings ask for Python"'))
    monkeypatch.setenv("COLUMNS", "120")
    code, out, err = cli("--kb", kb, "skills", "--roles", "ds,mle")
    assert code == 0, err
    python = next(line for line in out.splitlines() if line.startswith("Python "))
    assert "60.5%" in python
    assert "1,250" in python
    assert "+" not in python  # a share and a count are not compared: no lead
    code, out, err = cli("--kb", kb, "skills", "--roles", "ds,mle", "--format", "json")
    row = next(r for s in json.loads(out)["sections"] for r in s["rows"] if r["item"] == "python")
    assert row["unit"] is None
    assert row["values"] == {"ds": 60.5, "mle": 1250}
    assert (row["figures"]["ds"]["unit"], row["figures"]["mle"]["unit"]) == ("percent", "count")
    assert row["lead"] is None


def test_a_tiny_lead_is_never_in_scientific_notation_in_any_format(
    cli: Any, copy_kb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = copy_kb()
    path = kb / "facts" / "survey" / "mle.toml"
    text = path.read_text("utf-8")
    old = 'percent = 80\nquote = "Python (80%) for ML engineers"'
    path.write_text(text.replace(old, 'percent = 60.50001\nquote = "Python (60.50001%)"'))
    monkeypatch.setenv("COLUMNS", "120")
    outputs = {
        f: cli("--kb", kb, "skills", "--roles", "ds,mle", "-f", f)[1]
        for f in ("table", "csv", "json", "md")
    }
    outputs["html"] = cli("--kb", kb, "report", "--roles", "ds,mle", "--out", "-")[1]
    for name, out in outputs.items():
        if name != "json":  # JSON's numbers are numbers (1e-05 is one); its lead_text is text
            assert "e-0" not in out, name
    assert '"lead_text": "MLE +0.00001 pp"' in outputs["json"]
    assert "MLE +0.00001 pp" in outputs["table"]
    assert "MLE +0.00001 pp" in outputs["md"]
    assert "MLE</abbr> +0.00001 pp" in outputs["html"]
    python = next(r for r in csv.DictReader(io.StringIO(outputs["csv"])) if r["item"] == "python")
    assert (python["lead"], python["lead_text"], python["mle"]) == (
        "0.00001",
        "MLE +0.00001 pp",
        "60.50001",
    )


def test_a_lead_has_the_decimals_its_figures_are_written_with(cli: Any, onet_kb: Path) -> None:
    code, out, err = cli("--kb", onet_kb, "education", "--format", "csv")
    assert code == 0, err
    rows = {r["item"]: r for r in csv.DictReader(io.StringIO(out))}
    doctoral = rows["education-doctoral-degree"]  # 28.42% against 9.52%
    assert (doctoral["15-1221-00"], doctoral["15-2041-00"]) == ("28.42", "9.52")
    assert doctoral["lead_text"] == "15-1221-00 +18.90 pp"  # as written beside "+3.59 pp"
    assert rows["education-some-college-courses"]["lead_text"] == "15-1221-00 +3.59 pp"
    # 36.22% is suppressed (Recommend Suppress = Y): no lead is computed from it.
    bachelors = rows["education-bachelors-degree"]
    assert (bachelors["lead"], bachelors["lead_text"]) == ("", "none (Recommend Suppress = Y)")


def test_a_counted_figure_shows_its_margin_at_a_glance_and_k_of_n_with_details(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rolecompare import render
    from rolecompare.compare.report import Report, Section

    monkeypatch.setenv("COLUMNS", "120")
    counted = Cell(
        ("71.9% ±0.9",),
        71.9,
        quotes=("postings.csv",),
        unit=PERCENT,
        written=("71.9",),
        k=7552,
        n=10504,
        interval=(71.03, 72.75),
        noun="postings",
    )
    other = Cell(("60.0%",), 60.0, quotes=("q",), unit=PERCENT, written=("60.0",))
    row = Row("Python", "p", {"a": counted, "b": other}, "python", PERCENT, leader="a", lead=11.9)
    roles: list[Any] = [
        {"id": "a", "name": "A", "aliases": [], "occupations": {}},
        {"id": "b", "name": "B", "aliases": [], "occupations": {}},
    ]
    report = Report("skills", "Skills", roles, [Section("s", "Skills", [row])])
    shown = {}
    for details in (False, True):
        out = io.StringIO()
        render.emit(report, "table", out, details=details)
        shown[details] = out.getvalue()
    assert "71.9% ±0.9" in shown[False]
    assert "7,552 of 10,504 postings" not in shown[False]
    assert "7,552 of 10,504 postings, 95% CI 71.0–72.8" in shown[True]
    out = io.StringIO()
    render.emit(report, "markdown", out)
    assert "71.9% ±0.9<br>7,552 of 10,504 postings, 95% CI 71.0–72.8" in out.getvalue()
    out = io.StringIO()
    render.emit(report, "csv", out)
    line = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (line["a_k"], line["a_n"], line["a_ci_low"], line["a_ci_high"]) == (
        "7552",
        "10504",
        "71.03",
        "72.75",
    )


def test_details_show_a_records_n(cli: Any, onet_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    code, out, err = cli("--kb", onet_kb, "education", "--details")
    assert code == 0, err
    assert "N = 16" in out
    assert "N = 21" in out
    code, out, err = cli("--kb", onet_kb, "education")
    assert "N = 16" not in out  # at a glance, the figure alone
