"""One of each in kb/: one TSV reader (import onet and verify see a file alike), one
field-path quoting for every problem, one list of fact kinds."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, get_type_hints

import pytest

from rolecompare.errors import field_path
from rolecompare.importers import onet
from rolecompare.kb.sourcefiles import SourceFileError, parse_tsv
from rolecompare.kb.types import FACT_KINDS, KB
from rolecompare.kb.verify import verify_kb_dir

ROOT = Path(__file__).resolve().parents[1]
SLICE = ROOT / "tests" / "fixtures" / "onet-29.2-slice"
CODE = "15-2051.00"
ZONES = "Job Zones.txt"

# ---------------------------------------------------------------- the TSV reader


@pytest.mark.parametrize(
    "data",
    [
        b"a\tb\n1\t2\n3\t\n",
        b"a\tb\r\n1\t2\r\n3\t\r\n",  # CRLF
        b"\xef\xbb\xbfa\tb\n1\t2\n3\t",  # a byte-order mark, no last line end
    ],
    ids=["lf", "crlf", "bom"],
)
def test_a_tsv_reads_alike_whatever_its_line_ends_and_bom(data: bytes) -> None:
    table = parse_tsv(data)
    assert table.header == ["a", "b"]
    assert table.lines == ["1\t2", "3\t"]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"a\tb\n1\t2\n3\n", 3, "1 tab-separated cells; the header has 2"),
        (b"a\tb\n1\t2\t3\n", 2, "3 tab-separated cells; the header has 2"),
        (b"a\tb\n1\t2\n\n3\t4\n", 3, "1 tab-separated cells; the header has 2"),  # empty line
        (b"", None, "empty file; expected a header line"),
        (b"a\tb\n\xff\t2\n", 2, "not UTF-8 text"),
    ],
    ids=["short", "long", "empty-line", "empty-file", "not-utf8"],
)
def test_a_tsv_row_of_another_width_is_refused_by_its_line(
    data: bytes, line: int | None, message: str
) -> None:
    with pytest.raises(SourceFileError) as caught:
        parse_tsv(data)
    assert (caught.value.line, caught.value.message) == (line, message)


def imported(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The slice copied to tmp_path/shared/sources/db, a KB imported from it, and shared."""
    shared = tmp_path / "shared"
    db = Path(shutil.copytree(SLICE, shared / "sources" / "db"))
    kb = tmp_path / "kb"
    onet.import_onet(db, kb, [CODE])
    assert verify_kb_dir(kb, shared) == []
    return db, kb, shared


@pytest.mark.parametrize(
    ("edit", "cells"),
    [(lambda row: row + "\textra", 5), (lambda row: "", 1)],
    ids=["a cell more", "an empty line"],
)
def test_import_and_verify_refuse_a_row_of_another_width_alike(
    cli: Any, tmp_path: Path, edit: Any, cells: int
) -> None:
    """Verify used to skip empty lines and read short rows as far as they went, where the
    importer refused them: now both refuse the file, naming the same line."""
    db, kb, shared = imported(tmp_path)
    path = db / ZONES
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    n = next(i for i, row in enumerate(lines) if row.startswith(CODE))
    lines[n] = edit(lines[n])
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    why = f"{cells} tab-separated cells; the header has 4"

    code, _out, err = cli("import", "onet", db, "--occupations", CODE, "--out", tmp_path / "new")
    assert code == 1
    assert f"{ZONES}:{n + 1}: {why}" in err
    problems = verify_kb_dir(kb, shared)
    assert [p.message for p in problems] == [
        f"data file not found or unreadable: {path} (line {n + 1}: {why})"
    ]


# ---------------------------------------------------------------- field paths


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (("figures", 3, "percent"), "figures[3].percent"),
        (
            ("statements", 0, "record", "values", "Data Value"),
            'statements[0].record.values."Data Value"',
        ),
        (("a", 'say "hi"\\'), 'a."say \\"hi\\"\\\\"'),
        (("a", "line\nbreak\x1b"), 'a."line\\u000abreak\\u001b"'),
        (("a", ""), 'a.""'),
        (("x-y_z",), "x-y_z"),
        (("Größe",), '"Größe"'),  # bare TOML keys are ASCII
    ],
)
def test_a_field_path_quotes_keys_that_are_not_bare_toml_keys(
    path: tuple[str | int, ...], shown: str
) -> None:
    assert field_path(path) == shown
    assert field_path(path).isprintable()


def test_validate_and_verify_name_a_quoted_field_alike(cli: Any, tmp_path: Path) -> None:
    """A record's value column with a space: verify (a value that differs from its row)
    and validate (a value of the wrong type) name the same field, quoted alike."""
    _db, kb, shared = imported(tmp_path)
    facts = kb / "facts" / "onet" / "15-2051-00.json"
    text = facts.read_text("utf-8")
    old = '"Domain Source": "Analyst - Preliminary"}'
    assert text.count(old) == 1
    facts.write_text(text.replace(old, '"Domain Source": "Incumbent"}'), "utf-8")
    [problem] = verify_kb_dir(kb, shared)
    assert problem.field.endswith('.record.values."Domain Source"'), problem
    facts.write_text(text.replace(old, '"Domain Source": 5}'), "utf-8")
    code, _out, err = cli("validate", kb)
    assert code == 1
    assert f" {problem.field}: input should be a valid string" in err


# ---------------------------------------------------------------- fact kinds


def test_the_fact_kinds_are_the_lists_of_a_fact_file() -> None:
    from rolecompare.kb.schema import FactFile

    lists = tuple(f for f in FactFile.model_fields if f not in {"source", "roles"})
    assert lists == FACT_KINDS
    assert set(FACT_KINDS) <= set(get_type_hints(KB))
