"""Rules the test suite keeps so that a green run means something.

- UPDATE_GOLDEN is refused under CI, where it would rewrite every golden file and pass.
- No handler that catches any exception skips the test: a crash is a failure.
- Each runtime dependency's lower bound is the version the lowest-versions run tests.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
GOLDEN = TESTS / "golden"


def golden_state() -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(GOLDEN.iterdir())}


@pytest.mark.parametrize("ci", ["true", "1"])
def test_update_golden_is_refused_under_ci(ci: str) -> None:
    before = golden_state()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--rootdir={ROOT}",
            f"--confcutdir={TESTS}",
            str(TESTS / "test_render.py"),
        ],
        env={**_plain_env(), "CI": ci, "UPDATE_GOLDEN": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert "UPDATE_GOLDEN is refused under CI" in result.stderr
    assert "passed" not in result.stdout
    assert golden_state() == before


def _plain_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"CI", "UPDATE_GOLDEN"}}


def _catches_everything(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type
    if kinds is None:
        return True
    names = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
    return any(isinstance(n, ast.Name) and n.id in {"Exception", "BaseException"} for n in names)


def _skips(node: ast.AST) -> bool:
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in {"skip", "xfail", "importorskip"}:
                return True
    return False


def test_no_test_turns_a_crash_into_a_skip() -> None:
    found = []
    for path in sorted(TESTS.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ExceptHandler)
                and _catches_everything(node)
                and any(_skips(statement) for statement in node.body)
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert found == [], "a crash must fail the test, not skip it"


def test_the_rule_above_sees_such_a_handler() -> None:
    tree = ast.parse("try:\n    run()\nexcept Exception:\n    pytest.skip('no')\n")
    (handler,) = [n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)]
    assert _catches_everything(handler)
    assert _skips(handler.body[0])


def test_each_lower_bound_is_the_version_the_lowest_run_installs() -> None:
    """pyproject.toml's lower bounds are what `dev.py test-lowest` (CI) tests: no bound
    is claimed that the suite has not passed on."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lowest = {}
    for line in (ROOT / "constraints-lowest.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            lowest[name.strip().lower().replace("_", "-")] = version.strip()
    for requirement in project["dependencies"]:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", requirement)
        assert found, requirement
        name, spec = found.group(1).lower().replace("_", "-"), found.group(2)
        bound = re.search(r">=\s*([0-9][0-9A-Za-z.]*)", spec)
        assert bound, f"{requirement}: no lower bound"
        assert lowest.get(name) == bound.group(1), f"{requirement} vs constraints-lowest.txt"
