"""The package's layers, read from its imports: the renderers draw the report types and
run no query; the queries in compare/ do no terminal I/O and know no command line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rolecompare"


def imported(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("path", sorted((SRC / "render").glob("*.py")), ids=lambda p: p.name)
def test_renderers_import_only_the_report_types_from_compare(path: Path) -> None:
    report_types = "rolecompare.compare.report"
    others = {
        name
        for name in imported(path)
        if name.startswith("rolecompare.compare.")
        and name != report_types
        and not name.startswith(f"{report_types}.")  # from ... import Page
    }
    assert others == set()


@pytest.mark.parametrize("path", sorted((SRC / "compare").glob("*.py")), ids=lambda p: p.name)
def test_queries_do_no_terminal_io(path: Path) -> None:
    banned = ("sys", "rich", "typer", "rolecompare.ask", "rolecompare.cli", "rolecompare.main")
    found = {n for n in imported(path) if any(n == b or n.startswith(f"{b}.") for b in banned)}
    assert found == set()
