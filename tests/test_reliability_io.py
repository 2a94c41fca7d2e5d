"""Reading, writing and installing files safely: `import onet`, `verify` and `report`
never read or write where they should not, never hang or run out of memory on a
special file, never remove what they did not make, and cost time in proportion to
their input."""

from __future__ import annotations

import os
import resource
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from rolecompare.importers import onet
from rolecompare.kb import sourcefiles

ROOT = Path(__file__).resolve().parents[1]
SLICE = ROOT / "tests" / "fixtures" / "onet-29.2-slice"


class CountingSet(set[str]):
    """A set that counts how often it is asked whether it holds something."""

    checks = 0

    def __contains__(self, item: object) -> bool:
        type(self).checks += 1
        return super().__contains__(item)


# ---------------------------------------------------------------- ids in linear time


def test_names_that_make_one_slug_cost_linear_work() -> None:
    names = ["x" + "!" * i for i in range(1, 3001)]  # x!, x!!, ... all slug to "x"
    ids = onet._Ids()
    ids.taken = CountingSet()
    CountingSet.checks = 0
    got = ids.assign(names)
    assert sorted(got.values()) == sorted(["x", *(f"x-{k}" for k in range(2, 3001))])
    assert CountingSet.checks <= 3 * len(names), CountingSet.checks  # was 4.5 million


def test_clashing_slugs_keep_their_ids_after_a_bare_slug_of_the_same_form() -> None:
    """A name whose own slug is "x-2" holds that id; the clashing names skip it."""
    ids = onet._Ids()
    first = ids.assign(["x 2", "x 3"])
    assert first == {"x 2": "x-2", "x 3": "x-3"}
    second = ids.assign(["x!", "x@", "x$", "x%"])
    assert sorted(second.values()) == ["x", "x-4", "x-5", "x-6"]
    third = ids.assign(["x^", "x*"])
    assert sorted(third.values()) == ["x-7", "x-8"]


# ---------------------------------------------------------------- report: atomic, no symlink


def test_report_refuses_a_symlink_at_out_and_leaves_its_target(
    cli: Any, kb3: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = tmp_path / "report.html"
    link.symlink_to(victim)
    code, _out, err = cli("--kb", kb3, "report", "--out", link)
    assert code == 1
    assert err == f"rolecompare: {link}: is a symlink; refusing to write through it\n"
    assert victim.read_text() == "precious\n"
    assert link.is_symlink()


def test_the_default_report_file_is_not_followed_either(
    cli: Any, kb3: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    Path("rolecompare-report.html").symlink_to(victim)
    code, _out, err = cli("--kb", kb3, "report")
    assert code == 1
    assert "rolecompare-report.html: is a symlink; refusing to write through it" in err
    assert victim.read_text() == "precious\n"


def test_report_replaces_a_file_whole_and_keeps_its_permissions(cli: Any, kb3: Path) -> None:
    target = Path("mine.html")
    target.write_text("old report\n")
    target.chmod(0o640)
    code, _out, err = cli("--kb", kb3, "report", "--out", target)
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in Path().iterdir()) == ["mine.html"]  # no temporary file left


def test_a_report_that_cannot_be_written_whole_leaves_the_old_one(
    run_subprocess: Any, kb3: Path, tmp_path: Path
) -> None:
    """A file-size limit makes the write fail part way, as a full disk does."""
    target = tmp_path / "report.html"
    target.write_text("old report\n")

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = run_subprocess(
        "--kb", kb3, "report", "--out", target, preexec_fn=limit_file_size, cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"rolecompare: {target}: cannot write it (File too large); the file is unchanged\n"
    )
    assert target.read_text() == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_report_out_empty_is_a_usage_error(cli: Any, kb3: Path) -> None:
    code, out, err = cli("--kb", kb3, "report", "--out", "")
    assert (code, out) == (2, "")
    assert "--out is empty" in err
    assert list(Path().iterdir()) == []  # the default file is not written


# ---------------------------------------------------------------- import onet: bounded reads


def db_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SLICE, tmp_path / "db"))


def test_import_refuses_a_fifo_at_once(run_subprocess: Any, tmp_path: Path) -> None:
    db = db_copy(tmp_path)
    (db / "Occupation Data.txt").unlink()
    os.mkfifo(db / "Occupation Data.txt")
    result = run_subprocess(
        "import", "onet", db, "--all", "--out", tmp_path / "kb", timeout=30, cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"rolecompare: {db}/Occupation Data.txt: is a FIFO, not a regular file; "
        "refusing to read it\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]


def test_import_does_not_read_through_a_symlink_to_dev_zero(cli: Any, tmp_path: Path) -> None:
    db = db_copy(tmp_path)
    (db / "Task Statements.txt").unlink()
    (db / "Task Statements.txt").symlink_to("/dev/zero")
    code, _out, err = cli("import", "onet", db, "--all", "--out", tmp_path / "kb")
    assert code == 1
    assert err == (
        f"rolecompare: {db}/Task Statements.txt: is a symlink; "
        "sources are read only as real files and folders\n"
    )


def test_import_refuses_a_file_larger_than_its_limit(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = db_copy(tmp_path)
    size = (db / "Task Statements.txt").stat().st_size
    monkeypatch.setattr(sourcefiles, "MAX_DATA_BYTES", size - 1)
    code, _out, err = cli("import", "onet", db, "--all", "--out", tmp_path / "kb")
    assert code == 1
    assert err == (
        f"rolecompare: {db}/Task Statements.txt: is larger than {size - 1:,} bytes; "
        "refusing to read it\n"
    )
