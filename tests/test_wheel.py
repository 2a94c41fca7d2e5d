"""The built wheel carries the KB: installed non-editable, it works from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# A wheel build and two installs: slow. One worker builds the wheel once for all three.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (found,) = out.glob("rolecompare-*.whl")
    return found


def test_wheel_contains_the_kb(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    data = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data").rglob("*.toml"))
    for name in data:
        assert f"rolecompare/{name}" in names
    assert "rolecompare/kb/shipped.json" in names  # the bundled KB, already validated
    assert "rolecompare/py.typed" in names  # type checkers read the package's annotations
    for asset in ("report.css", "report.js"):  # the report page's stylesheet and script
        assert f"rolecompare/render/{asset}" in names
    assert "rolecompare/examples/posting-draft.txt" in names  # `check --example`'s draft


def test_installed_wheel_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--disable-pip-version-check",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The target comes first on the path, ahead of the editable install of the checkout.
    env = {**os.environ, "PYTHONPATH": str(target), "ROLECOMPARE_CACHE_DIR": str(tmp_path / "c")}
    env.pop("ROLECOMPARE_KB", None)
    where = subprocess.run(
        [sys.executable, "-c", "import rolecompare.kb.files as m; print(m.bundled_kb())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(target)
    done = subprocess.run(
        [sys.executable, "-m", "rolecompare", "skills", "--format", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in json.loads(done.stdout)["roles"]] == ["ds", "mle"]
    page = subprocess.run(
        [sys.executable, "-m", "rolecompare", "report", "--out", "-"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert page.returncode == 0, page.stderr  # its stylesheet and script, read from the wheel
    assert "@media print" in page.stdout
    assert 'addEventListener("beforeprint"' in page.stdout
    example = subprocess.run(
        [sys.executable, "-m", "rolecompare", "check", "--example", "--format", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert example.returncode == 0, example.stderr  # its draft, read from the wheel
    assert json.loads(example.stdout)["check"]["role"] == "ds"


def test_wheel_in_a_fresh_virtual_environment(wheel: Path, tmp_path: Path) -> None:
    """What `pip install .` gives a user: a new venv, the wheel and its dependencies."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "ROLECOMPARE_KB"}}
    env["ROLECOMPARE_CACHE_DIR"] = str(tmp_path / "cache")
    for args in (["--version"], ["skills", "--format", "json"], ["validate"]):
        done = subprocess.run(
            [str(venv / "bin" / "rolecompare"), *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    assert "the bundled KB: valid" in done.stdout
