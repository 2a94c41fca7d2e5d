"""The O*NET importer: a slice of the real files imports to a valid KB with the real values,
every record matches its row, bad arguments and bad data are refused without leaving a half
KB, and the full database imports (where its files are present) to 1,016 valid roles.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolecompare.errors import RoleCompareError, UsageError
from rolecompare.importers import jsonwrite, onet
from rolecompare.importers.onet import ImportSummary, import_onet, slug
from rolecompare.importers.onet.ids import Ids
from rolecompare.kb.jsontext import JsonLines
from rolecompare.kb.jsontext import parse as parse_json
from rolecompare.kb.load import validate_dir
from rolecompare.kb.types import KB, FigureData, RecordData

ROOT = Path(__file__).resolve().parents[1]
SLICE = ROOT / "tests" / "fixtures" / "onet-29.2-slice"
FULL_DB = ROOT.parent / "shared" / "sources" / "onet-29.2"
SLICE_CODES = ["15-1221.00", "15-2041.00", "15-2051.00", "15-2099.00"]
DS, CIRS, STATS = "15-2051-00", "15-1221-00", "15-2041-00"
FLAGS = {
    ("Y", "Y"): "Hot Technology, In Demand",
    ("Y", "N"): "Hot Technology",
    ("N", "Y"): "In Demand",
    ("N", "N"): "Listed (neither Hot Technology nor In Demand)",
}


# ---------------------------------------------------------------- helpers


def read_tsv(path: Path) -> list[dict[str, str]]:
    """The rows of an O*NET text file, read independently of the importer."""
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    assert lines[-1] == "", f"{path.name} does not end with CRLF"
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:-1]]


def facts_of(kb: KB, role: str, topic: str | None = None) -> list[Any]:
    return [
        f
        for f in [*kb["figures"], *kb["statements"]]
        if role in f["roles"] and (topic is None or f["topic"] == topic)
    ]


def check_records(kb: KB, db: Path) -> int:
    """Every fact's record names exactly one row of its file, whose cells are the record's
    values, and the fact says what that row says. Returns the number of records checked."""
    tables: dict[str, list[dict[str, str]]] = {}
    titles = {r["O*NET-SOC Code"]: r["Title"] for r in read_tsv(db / "Occupation Data.txt")}
    zones = {r["Job Zone"]: r["Name"] for r in read_tsv(db / "Job Zone Reference.txt")}
    terms = {t["id"]: t for t in kb["terms"]}
    checked = 0
    facts: list[Mapping[str, Any]] = [*kb["figures"], *kb["statements"]]
    for fact in facts:
        rec = fact["record"]
        assert rec is not None
        assert fact["quote"] is None
        rows = tables.setdefault(rec["file"], read_tsv(db / rec["file"]))
        matches = [r for r in rows if all(r[k] == v for k, v in rec["key"].items())]
        assert len(matches) == 1, f"{rec} names {len(matches)} rows"
        row = matches[0]
        assert {k: row[k] for k in rec["values"]} == rec["values"], rec
        code = row["O*NET-SOC Code"]
        assert fact["roles"] == [code.replace(".", "-")]
        file, text = rec["file"], fact.get("text")
        if "percent" in fact and fact["percent"] is not None:
            assert file == "Education, Training, and Experience.txt"
            assert row["Scale ID"] == "RL"
            assert fact["percent"] == float(row["Data Value"])
        elif file == "Technology Skills.txt":
            assert terms[fact["item"]]["name"] == row["Example"]
            flags = (row["Hot Technology"], row["In Demand"])
            assert text == FLAGS[flags]
            assert (fact["topic"] == "onet-technology-other") == (flags == ("N", "N"))
        elif file == "Task Statements.txt":
            assert text == row["Task"]
        elif file == "Occupation Data.txt":
            assert text == row["Description"]
        elif file == "Job Zones.txt":
            # The zone's name, with its date and domain source ("Analyst - Preliminary").
            assert text == (
                f"{zones[row['Job Zone']]} (Date: {row['Date']}; "
                f"Domain Source: {row['Domain Source']})"
            )
        elif file == "Alternate Titles.txt":  # every alternate title, for roles --search
            assert (fact["topic"], fact["item"]) == ("onet-alternate-titles", "alternate-title")
            assert text == row["Alternate Title"]
        elif file == "Related Occupations.txt":
            other = row["Related O*NET-SOC Code"]
            assert text == f"{titles[other]} ({other})"
        else:
            assert file == "Education, Training, and Experience.txt"
            assert row["Recommend Suppress"] == "Y"
            assert "Recommend Suppress = Y" in (text or "")
        checked += 1
    return checked


def copy_slice(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SLICE, tmp_path / "onet-29.2"))


def edit(db: Path, name: str, old: str, new: str) -> None:
    path = db / name
    data = path.read_bytes().decode("utf-8")
    assert old in data
    path.write_bytes(data.replace(old, new, 1).encode("utf-8"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportSummary, KB]:
    out = tmp_path_factory.mktemp("onet") / "kb"
    summary = import_onet(SLICE, out, None)
    return summary, validate_dir(out)


# ---------------------------------------------------------------- the slice, real values


def test_the_fixture_is_the_published_bytes() -> None:
    for path in SLICE.glob("*.txt"):
        data = path.read_bytes()
        if path.name != "Read Me.txt":
            assert data.count(b"\n") == data.count(b"\r\n") > 1, path.name
    assert sorted(p.name for p in SLICE.glob("*.txt")) == sorted(onet.DB_FILES)


def test_slice_imports_to_a_valid_kb(imported: tuple[ImportSummary, KB]) -> None:
    summary, kb = imported
    assert [r["id"] for r in kb["roles"]] == [c.replace(".", "-") for c in SLICE_CODES]
    assert (summary.roles, summary.release, summary.release_date) == (
        4,
        "O*NET 29.2 Database",
        "February 2025",
    )
    assert summary.figures == len(kb["figures"]) == 24  # 2 occupations x 12 RL categories
    assert summary.statements == len(kb["statements"])
    assert summary.suppressed == 1
    assert summary.terms == len(kb["terms"])
    out = summary.out_dir
    files = [p for p in out.rglob("*") if p.is_file()]
    assert summary.files == len(files) == 1 + 4 + 4 + 2  # source, roles, facts, vocabulary
    assert summary.bytes == sum(p.stat().st_size for p in files)
    assert {p.suffix for p in files} == {".json"}


def test_one_fact_per_line(imported: tuple[ImportSummary, KB]) -> None:
    """Each line between a list's brackets is one whole record, so that the line a problem
    is reported on names one fact."""
    summary, _kb = imported
    for path in sorted(summary.out_dir.rglob("*.json")):
        text = path.read_text("utf-8")
        doc, index = json.loads(text), JsonLines(text)
        lines = text.split("\n")
        for kind in ("figures", "statements", "topics", "terms"):
            for i, record in enumerate(doc.get(kind, [])):
                at = index.locate((kind, i))
                assert at is not None
                assert json.loads(lines[at - 1].strip().removesuffix(",")) == record, (path, i)
                assert index.locate((kind, i, "topic")) in (None, at)
    ds = (summary.out_dir / "facts" / "onet" / f"{DS}.json").read_text("utf-8")
    assert ds.startswith('{\n  "source": "onet",\n  "roles": ["15-2051-00"],\n  "statements": [\n')


def test_a_problem_in_an_imported_file_names_its_fact_line(tmp_path: Path, cli: Any) -> None:
    out = tmp_path / "kb"
    import_onet(SLICE, out, ["15-1221.00"])
    path = out / "facts" / "onet" / f"{CIRS}.json"
    lines = path.read_text("utf-8").split("\n")
    at = next(n for n, line in enumerate(lines, 1) if '"Category": "6"' in line)
    lines[at - 1] = lines[at - 1].replace('"percent": 36.22', '"percent": 136.22')
    path.write_text("\n".join(lines), "utf-8")
    code, stdout, err = cli("validate", out)
    assert (code, stdout) == (1, "")
    figure = json.loads(lines[at - 1].strip().removesuffix(","))
    index = json.loads(path.read_text("utf-8"))["figures"].index(figure)
    assert err == (
        f"rolecompare: kb/facts/onet/{CIRS}.json:{at}: figures[{index}].percent: "
        "input should be less than or equal to 100\n"
    )


def test_every_record_matches_its_row_in_the_fixture(imported: tuple[ImportSummary, KB]) -> None:
    _summary, kb = imported
    assert check_records(kb, SLICE) == len(kb["figures"]) + len(kb["statements"])


def test_rolecompare_verify_finds_every_record_and_number(
    imported: tuple[ImportSummary, KB],
) -> None:
    from rolecompare.kb.verify import verify_kb_dir

    summary, _kb = imported
    assert verify_kb_dir(summary.out_dir, SLICE.parent.parent) == []


def test_rolecompare_verify_reads_the_json_files_and_places_a_mismatch(tmp_path: Path) -> None:
    from rolecompare.kb.verify import verify_kb_dir

    out = tmp_path / "kb"
    import_onet(SLICE, out, ["15-2041.00"])
    path = out / "facts" / "onet" / f"{STATS}.json"
    text = path.read_text("utf-8")
    old = '"Category": "4"}, "values": {"Data Value": "4.76"'
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("4.76", "4.77")), "utf-8")
    line = text[: text.index(old)].count("\n") + 1
    problems = verify_kb_dir(out, SLICE.parent.parent)
    assert [(p.file, p.line, p.field) for p in problems] == [
        (f"kb/facts/onet/{STATS}.json", line, "figures[3].percent"),
        (f"kb/facts/onet/{STATS}.json", line, 'figures[3].record.values."Data Value"'),
    ]
    assert "Data Value is '4.76' in Education, Training, and Experience.txt, not '4.77'" in (
        problems[1].message
    )


def test_roles_have_the_code_and_unique_alternate_titles(
    imported: tuple[ImportSummary, KB],
) -> None:
    _summary, kb = imported
    roles = {r["id"]: r for r in kb["roles"]}
    ds = roles[DS]
    assert ds["name"] == "Data Scientists"
    assert ds["occupations"] == {"onet": "15-2051.00"}
    assert ds["aliases"][0] == "15-2051.00"
    assert "Data Scientist" in ds["aliases"]
    assert 1 < len(ds["aliases"]) <= onet.MAX_ALIASES + 1
    # Short titles first. "AI Specialist" is unique in the slice, not in the whole database.
    assert roles[CIRS]["aliases"][:4] == [
        "15-1221.00",
        "AI Engineer",
        "AI Specialist",
        "Cyber Research Scientist",
    ]
    everyone = [a for r in kb["roles"] for a in r["aliases"]]
    # An alternate title of 15-1221.00, 15-1299.08 and 15-2051.00; two of them are here.
    assert "Machine Learning Engineer" not in everyone
    assert "Applied Scientist" not in everyone  # 15-1221.00, 15-2041.00 and 15-2051.00


def test_technology_with_its_flags(imported: tuple[ImportSummary, KB]) -> None:
    _summary, kb = imported
    python = [s for s in facts_of(kb, DS) if s.get("item") == "python"]
    assert len(python) == 1
    assert python[0]["topic"] == "onet-technology"
    assert python[0]["text"] == "Hot Technology, In Demand"
    assert python[0]["record"] == {
        "file": "Technology Skills.txt",
        "key": {"O*NET-SOC Code": "15-2051.00", "Example": "Python"},
        "values": {"Hot Technology": "Y", "In Demand": "Y"},
    }
    # Python lines up on one row: the same item for all three occupations that list it.
    assert sorted(r for s in kb["statements"] if s.get("item") == "python" for r in s["roles"]) == [
        CIRS,
        STATS,
        DS,
    ]
    airflow = [s for s in facts_of(kb, DS) if s["record"]["key"].get("Example") == "Apache Airflow"]
    assert [(s["topic"], s["record"]["values"]) for s in airflow] == [
        ("onet-technology-other", {"Hot Technology": "N", "In Demand": "N"})
    ]
    topics = {t["id"]: t for t in kb["topics"]}
    # Flagged technology is what `skills` shows (and fit and plan count); the rest, `tools`.
    assert topics["onet-technology-other"]["detail"] is False
    assert topics["onet-technology"]["detail"] is False
    assert (topics["onet-technology"]["command"], topics["onet-technology"]["requirements"]) == (
        "skills",
        True,
    )
    assert topics["onet-technology-other"]["command"] == "tools"
    assert (
        len(facts_of(kb, DS, "onet-technology")) + len(facts_of(kb, DS, "onet-technology-other"))
        == 86
    )
    names = {t["id"]: t["name"] for t in kb["terms"]}
    assert (names.get("c-plus-plus"), names.get("c-sharp"), names.get("c")) == ("C++", "C#", "C")


def test_job_zone_is_named_from_the_reference(imported: tuple[ImportSummary, KB]) -> None:
    _summary, kb = imported
    zone = facts_of(kb, DS, "onet-job-zone")
    assert [(z["item"], z["text"], z["record"]["values"]) for z in zone] == [
        (
            "job-zone",
            "Job Zone Four: Considerable Preparation Needed (Date: 11/2021; Domain Source: "
            "Analyst - Preliminary)",
            {"Job Zone": "4", "Date": "11/2021", "Domain Source": "Analyst - Preliminary"},
        )
    ]
    assert [z["text"] for z in facts_of(kb, CIRS, "onet-job-zone")] == [
        "Job Zone Five: Extensive Preparation Needed (Date: 08/2019; Domain Source: Analyst)"
    ]


def record_of(fact: FigureData) -> RecordData:
    assert fact["record"] is not None
    return fact["record"]


def test_education_shares_and_the_suppressed_one(imported: tuple[ImportSummary, KB]) -> None:
    _summary, kb = imported
    figures = {f["item"]: f for f in kb["figures"] if f["roles"] == [CIRS]}
    assert len(figures) == 12
    bachelors = figures["education-bachelors-degree"]
    assert bachelors["percent"] == 36.22
    assert record_of(bachelors)["key"] == {
        "O*NET-SOC Code": "15-1221.00",
        "Element ID": "2.D.1",
        "Scale ID": "RL",
        "Category": "6",
    }
    assert record_of(bachelors)["values"] == {
        "Data Value": "36.22",
        "N": "16",
        "Recommend Suppress": "Y",
        "Date": "08/2019",
        "Domain Source": "Incumbent",
    }
    flags = [s for s in facts_of(kb, CIRS, "onet-required-education") if "percent" not in s]
    assert [(s["item"], s["text"]) for s in flags] == [
        (
            "education-bachelors-degree",
            "Recommend Suppress = Y: O*NET recommends suppressing this value",
        )
    ]
    assert figures["education-masters-degree"]["percent"] == 19.93
    assert record_of(figures["education-masters-degree"])["values"]["Recommend Suppress"] == "N"
    # A 0.00 is what O*NET reports, so it is a figure; Data Scientists have no rows: no figures.
    assert figures["education-high-school-diploma"]["percent"] == 0
    assert [f for f in kb["figures"] if DS in f["roles"]] == []
    stats = {f["item"]: f for f in kb["figures"] if f["roles"] == [STATS]}
    assert record_of(stats["education-masters-degree"])["values"] == {
        "Data Value": "61.90",
        "N": "21",
        "Recommend Suppress": "n/a",
        "Date": "08/2024",
        "Domain Source": "Occupational Expert",
    }


def test_tasks_core_supplemental_and_untyped(imported: tuple[ImportSummary, KB]) -> None:
    _summary, kb = imported
    core = facts_of(kb, CIRS, "onet-tasks")
    assert core[0]["text"] == (
        "Analyze problems to develop solutions involving computer hardware and software."
    )
    assert core[0]["record"]["key"] == {"O*NET-SOC Code": "15-1221.00", "Task ID": "14623"}
    assert core[0]["record"]["values"] == {"Task": core[0]["text"], "Task Type": "Core"}
    assert {s["item"] for s in core} == {"tasks-core"}
    assert len(core) == 11
    supplemental = facts_of(kb, CIRS, "onet-supplemental-tasks")
    assert len(supplemental) == 4
    assert {s["item"] for s in supplemental} == {"tasks-supplemental"}
    ds = facts_of(kb, DS, "onet-tasks")
    assert len(ds) == 16
    assert {s["item"] for s in ds} == {"tasks-n-a"}
    assert ds[-1]["text"] == (
        "Write new functions or applications in programming languages to conduct analyses."
    )


def test_related_occupations_and_description(imported: tuple[ImportSummary, KB]) -> None:
    _summary, kb = imported
    related = facts_of(kb, DS, "onet-related-occupations")
    assert [(s["item"], s["text"]) for s in related] == [
        ("related-primary-short", "Statisticians (15-2041.00)"),
        ("related-primary-long", "Computer and Information Research Scientists (15-1221.00)"),
    ]
    other = facts_of(kb, "15-2099-00")
    assert {s["topic"] for s in other} == {"onet-description", "onet-alternate-titles"}


def test_source_credits_the_release_named_in_read_me(imported: tuple[ImportSummary, KB]) -> None:
    _summary, kb = imported
    [source] = kb["sources"]
    assert source["id"] == "onet"
    assert source["per_occupation"] is True
    assert source["title"] == "O*NET 29.2 Database"
    assert source["date"] == "February 2025"
    assert source["credit"] == (
        "This page includes information from the O*NET 29.2 Database by the U.S. Department of "
        "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
        "license. O*NET® is a trademark of USDOL/ETA."
    )
    assert source["modified"] == (
        "rolecompare has modified all or some of this information. USDOL/ETA has not approved, "
        "endorsed, or tested these modifications."
    )
    assert source["document"] == "fixtures/onet-29.2-slice"  # for verify --sources tests/
    assert source["url"] == "https://www.onetcenter.org/database.html"


def test_release_comes_from_read_me(tmp_path: Path) -> None:
    db = copy_slice(tmp_path)
    edit(
        db,
        "Read Me.txt",
        "O*NET 29.2 Database\nFebruary 2025",
        "O*NET 30.1 Database\nNovember 2025",
    )
    summary = import_onet(db, tmp_path / "kb", ["15-2051.00"])
    [source] = validate_dir(tmp_path / "kb")["sources"]
    assert summary.release == source["title"] == "O*NET 30.1 Database"
    assert "O*NET 30.1 Database by" in (source["credit"] or "")


def test_a_subset_keeps_the_same_ids(imported: tuple[ImportSummary, KB], tmp_path: Path) -> None:
    _summary, full = imported
    summary = import_onet(SLICE, tmp_path / "kb", ["15-2051.00"])
    kb = validate_dir(tmp_path / "kb")
    assert summary.roles == 1
    assert [r["id"] for r in kb["roles"]] == [DS]
    assert {t["id"] for t in kb["terms"]} <= {t["id"] for t in full["terms"]}
    assert kb["statements"] == [s for s in full["statements"] if s["roles"] == [DS]]
    # A related occupation that is not imported is still named, from Occupation Data.txt.
    assert "Statisticians (15-2041.00)" in {s["text"] for s in kb["statements"]}
    assert check_records(kb, SLICE) == len(kb["statements"])


def test_output_is_deterministic(tmp_path: Path) -> None:
    import_onet(SLICE, tmp_path / "a", None)
    import_onet(SLICE, tmp_path / "b", list(reversed(SLICE_CODES)))
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.*")}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.*")}
    assert len(a) == 11
    assert a == b


# ---------------------------------------------------------------- escaping


HOSTILE = (
    'say "hi" \\ back\\slash \\n not a newline \x01\x08\x0b\x0c\x1f\x7f \u00e9 \u2028 \U0001f642'
)


def test_hostile_text_survives_the_trip(tmp_path: Path) -> None:
    db = copy_slice(tmp_path)
    task = "Analyze problems to develop solutions involving computer hardware and software."
    edit(db, "Task Statements.txt", task, f"{task} {HOSTILE}")
    edit(db, "Technology Skills.txt", "\tPython\t", f"\tPy{HOSTILE}thon\t")
    edit(db, "Occupation Data.txt", "\tData Scientists\t", f"\tData {HOSTILE} Scientists\t")
    import_onet(db, tmp_path / "kb", None)
    kb = validate_dir(tmp_path / "kb")
    assert f"{task} {HOSTILE}" in {s["text"] for s in kb["statements"]}
    assert f"Py{HOSTILE}thon" in {t["name"] for t in kb["terms"]}
    assert f"Data {HOSTILE} Scientists" in {r["name"] for r in kb["roles"]}
    assert check_records(kb, db) == len(kb["figures"]) + len(kb["statements"])
    role = (tmp_path / "kb" / "roles" / f"{DS}.json").read_bytes()
    assert "\u00e9 \u2028 \U0001f642".encode() in role  # UTF-8 as it is, not \\u escapes
    assert b"\\u0001\\b\\u000b\\f\\u001f" in role  # control characters escaped


STRINGS = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
SCALARS = st.one_of(
    STRINGS,
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(STRINGS, inner, max_size=4)
    ),
    max_leaves=12,
)
RECORDS = st.lists(st.dictionaries(STRINGS, VALUES, max_size=4), max_size=3)


def written(head: dict[str, Any], lists: dict[str, list[dict[str, Any]]]) -> bytes:
    return jsonwrite.document(
        head, {k: [jsonwrite.compact(x) for x in v] for k, v in lists.items()}
    )


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.dictionaries(STRINGS, VALUES, max_size=4), st.dictionaries(STRINGS, RECORDS, max_size=3))
def test_json_writer_round_trips(head: dict[str, Any], lists: dict[str, Any]) -> None:
    lists = {k: v for k, v in lists.items() if k not in head}
    data = written(head, lists)
    expected = {**head, **{k: v for k, v in lists.items() if v}}
    assert json.loads(data.decode("utf-8")) == expected
    assert parse_json(data.decode("utf-8")) == expected  # as strictly as rolecompare reads it
    for kind, records in expected.items():
        if kind in lists:  # each record on a line of its own, where the line finder puts it
            lines = data.decode("utf-8").split("\n")
            index = JsonLines(data.decode("utf-8"))
            for i, record in enumerate(records):
                line = lines[(index.locate((kind, i)) or 0) - 1]
                assert json.loads(line.strip().removesuffix(",")) == record


@pytest.mark.parametrize(
    "text",
    [
        "",
        '"',
        "\\",
        '\\"',
        "\n",
        "\r\n",
        "\t",
        "\x00",
        "\x7f",
        "\x1b[31m",
        "},\n{",
        '"], "x": ["',
        "\u0085\u00a0\u2028\ufeff",
        "\U0010ffff",
    ],
)
def test_json_writer_escapes(text: str) -> None:
    head = {text: text, "t": {text: [text]}}
    data = written(head, {"a": [{text: text}]})
    assert json.loads(data) == {**head, "a": [{text: text}]}
    plain = written({"x": "x", "t": {"x": ["x"]}}, {"a": [{"x": "x"}]})
    assert data.count(b"\n") == plain.count(b"\n")  # no text breaks a line


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, "\ud800", object()])
def test_json_writer_refuses_what_a_kb_cannot_hold(bad: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        jsonwrite.compact({"x": [bad]})
    with pytest.raises((ValueError, TypeError)):
        jsonwrite.document({"x": bad}, {})


def test_slugs_and_deterministic_disambiguation() -> None:
    assert slug("C++") == "c-plus-plus"
    assert slug("C#") == "c-sharp"
    assert slug("Bachelor's Degree") == "bachelors-degree"
    assert slug("Microsoft .NET Framework") == "microsoft-net-framework"
    assert slug("Ärzte & Co") == "arzte-and-co"
    assert slug("???") == ""
    long = slug("word " * 40)
    assert len(long) <= 64
    assert not long.endswith("-")
    ids = Ids()
    got = ids.assign(["Foo!", "foo", "FOO?", "foo 2", "???"], "", "technology")
    assert got == {
        "FOO?": "foo",
        "Foo!": "foo-3",
        "foo": "foo-4",
        "foo 2": "foo-2",
        "???": "technology",
    }
    assert Ids().assign(reversed(list(got))) == Ids().assign(got)


# ---------------------------------------------------------------- refusals


def test_unknown_or_malformed_codes_are_usage_errors(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    for codes, message in [
        (["15-9999.00"], "unknown O\\*NET-SOC code 15-9999.00"),
        (["15-2051-00"], "'15-2051-00' is not an O\\*NET-SOC code"),
        (["data scientists"], "is not an O\\*NET-SOC code"),
        (["15-2051.00", "15-2051.00"], "given twice"),
        ([], "no O\\*NET-SOC codes given"),
    ]:
        with pytest.raises(UsageError, match=message) as caught:
            import_onet(SLICE, out, codes)
        assert caught.value.exit_code == 2
        assert "\n" not in caught.value.message
        assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_missing_database_file_is_a_data_error(tmp_path: Path) -> None:
    db = copy_slice(tmp_path)
    (db / "Task Statements.txt").unlink()
    with pytest.raises(RoleCompareError, match=r"Task Statements.txt: not found") as caught:
        import_onet(db, tmp_path / "kb", None)
    assert caught.value.exit_code == 1
    assert not isinstance(caught.value, UsageError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["onet-29.2"]  # no temp folder left
    with pytest.raises(UsageError, match="O\\*NET database folder not found"):
        import_onet(tmp_path / "nowhere", tmp_path / "kb", None)


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("Task Statements.txt", "\tCore\t49\t", "\tCore\t49\textra\t", "8 tab-separated cells"),
        ("Task Statements.txt", "conduct analyses.", "conduct analyses. ", "leading or trailing"),
        ("Technology Skills.txt", "\tPython\t", "\t\t", "Example is empty"),
        ("Technology Skills.txt", "software\tY\tY", "software\tyes\tY", "are Y or N"),
        ("Education, Training, and Experience.txt", "\t36.22\t", "\t136.22\t", "not a percentage"),
        ("Related Occupations.txt", "\t15-2041.00\t", "\t15-2041.99\t", "is not in Occupation"),
        ("Job Zones.txt", "15-2051.00\t4", "15-2051.00\t7", "job zone '7' is not in"),
        ("Occupation Data.txt", "15-2099.00", "15-2099", "is not an O\\*NET-SOC code"),
        ("Read Me.txt", "O*NET 29.2 Database", "Some Database", "expected 'O\\*NET <version>"),
        ("Alternate Titles.txt", "Alternate Title", "Other Title", "no column 'Alternate Title'"),
    ],
)
def test_bad_data_is_refused_with_its_line(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    db = copy_slice(tmp_path)
    edit(db, name, old, new)
    with pytest.raises(RoleCompareError, match=message) as caught:
        import_onet(db, tmp_path / "kb", None)
    assert caught.value.exit_code == 1
    assert "\n" not in caught.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["onet-29.2"]


def test_an_existing_folder_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    (out / "roles").mkdir(parents=True)
    (out / "roles" / "old.toml").write_text("x")
    with pytest.raises(UsageError, match="folder is not empty"):
        import_onet(SLICE, out, ["15-2051.00"])
    assert (out / "roles" / "old.toml").exists()
    import_onet(SLICE, out, ["15-2051.00"], force=True)
    assert not (out / "roles" / "old.toml").exists()
    assert [r["id"] for r in validate_dir(out)["roles"]] == [DS]
    import_onet(SLICE, out, ["15-1221.00"], force=True)  # a KB it wrote: replaced again
    assert [r["id"] for r in validate_dir(out)["roles"]] == [CIRS]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb"]
    (tmp_path / "empty").mkdir()
    import_onet(SLICE, tmp_path / "empty", ["15-1221.00"])  # an empty folder is fine


def test_force_never_replaces_what_is_not_a_kb(tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match=r"'notes\.txt', which is not part of a KB"):
        import_onet(SLICE, tmp_path / "home", None, force=True)
    assert (tmp_path / "home" / "notes.txt").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="not a folder"):
        import_onet(SLICE, tmp_path / "file", None, force=True)


def test_a_failure_leaves_the_old_kb_and_no_half_kb(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    import_onet(SLICE, out, ["15-2051.00"])
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    db = copy_slice(tmp_path / "db")
    edit(db, "Related Occupations.txt", "\t15-2041.00\t", "\t15-2041.99\t")
    with pytest.raises(RoleCompareError):
        import_onet(db, out, None, force=True)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db", "kb"]


def test_benchmark_reports_times_and_sizes() -> None:
    got = onet.benchmark(SLICE, ["15-2051.00"])
    assert set(got) == {"import_s", "validate_s", "roles", "files", "bytes"}
    assert got["roles"] == 1
    assert got["files"] == 5
    assert got["bytes"] > 0


# ---------------------------------------------------------------- the whole database


def test_full_database_imports_to_a_valid_kb(tmp_path: Path) -> None:
    if not FULL_DB.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the O*NET database is not at {FULL_DB}, and CI must test it")
        pytest.skip(f"the O*NET database is not at {FULL_DB}")
    out = tmp_path / "kb"
    summary = import_onet(FULL_DB, out, None, check=False)
    kb = validate_dir(out)
    assert summary.roles == len(kb["roles"]) == 1016
    assert (
        len(facts_of(kb, DS, "onet-technology")) + len(facts_of(kb, DS, "onet-technology-other"))
        == 86
    )
    assert [s["text"] for s in facts_of(kb, DS, "onet-job-zone")] == [
        "Job Zone Four: Considerable Preparation Needed (Date: 11/2021; Domain Source: "
        "Analyst - Preliminary)"
    ]
    assert len(facts_of(kb, DS, "onet-tasks")) == 16
    everyone = {alias for r in kb["roles"] for alias in r["aliases"]}
    assert "Machine Learning Engineer" not in everyone
    cirs = next(r for r in kb["roles"] if r["id"] == CIRS)
    assert cirs["aliases"][:3] == ["15-1221.00", "AI Engineer", "Cyber Research Scientist"]
    assert summary.files == sum(1 for p in out.rglob("*") if p.is_file())
