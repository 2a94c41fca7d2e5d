"""Reading, writing and installing files safely: `import onet`, `verify` and `report`
never read or write where they should not, never hang or run out of memory on a
special file, never remove what they did not make, and cost time in proportion to
their input."""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rolecompare.importers import onet
from rolecompare.importers.onet import facts, install
from rolecompare.importers.onet.ids import Ids
from rolecompare.kb import sourcefiles
from rolecompare.kb.verify import verify_kb_dir

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
    ids = Ids()
    ids.taken = CountingSet()
    CountingSet.checks = 0
    got = ids.assign(names)
    assert sorted(got.values()) == sorted(["x", *(f"x-{k}" for k in range(2, 3001))])
    assert CountingSet.checks <= 3 * len(names), CountingSet.checks  # was 4.5 million


def test_clashing_slugs_keep_their_ids_after_a_bare_slug_of_the_same_form() -> None:
    """A name whose own slug is "x-2" holds that id; the clashing names skip it."""
    ids = Ids()
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
        "--kb",
        kb3,
        "report",
        "--out",
        target,
        # Python does not check the length of a .pyc it writes: a cut one would be left.
        env={"PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=limit_file_size,
        cwd=tmp_path,
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


# ---------------------------------------------------------------- import onet: the output folder


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_force_refuses_to_replace_a_kb_that_holds_the_database_it_reads(
    cli: Any, tmp_path: Path
) -> None:
    out = tmp_path / "kb"
    db = Path(shutil.copytree(SLICE, out / "sources" / "onet-29.2"))
    code, _out, err = cli("import", "onet", db, "--all", "--out", out, "--force")
    assert code == 2
    assert err == (
        f"rolecompare: {out}: holds {db}, which the import reads; "
        "refusing to write or replace the KB there\n"
    )
    assert listing(db) == listing(SLICE)
    assert listing(tmp_path) == ["kb"]


def import_that_meanwhile(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> None:
    """Make `import onet` run action once it has written its KB, before it moves it."""
    write = install.Importer.write

    def wrapped(self: install.Importer, *args: Any) -> Any:
        counts = write(self, *args)
        action()
        return counts

    monkeypatch.setattr(install.Importer, "write", wrapped)


def test_a_folder_made_during_the_import_is_kept_whole(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "kb"

    def someone_writes() -> None:
        out.mkdir()
        (out / "notes.txt").write_text("mine\n")

    import_that_meanwhile(monkeypatch, someone_writes)
    code, _out, err = cli("import", "onet", SLICE, "--all", "--out", out)
    assert code == 1
    assert err == (
        f"rolecompare: {out}: a folder that is not empty appeared there during the import, "
        "and is kept; the KB was not written\n"
    )
    assert listing(out) == ["notes.txt"]
    assert (out / "notes.txt").read_text() == "mine\n"
    assert listing(tmp_path) == ["kb"]  # no temporary folder left


def test_force_replaces_only_the_kb_that_was_there_when_the_import_began(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "kb"
    assert cli("import", "onet", SLICE, "--occupations", "15-2051.00", "--out", out)[0] == 0

    def someone_swaps_it() -> None:
        out.rename(tmp_path / "moved")
        (out / "facts").mkdir(parents=True)
        (out / "facts" / "mine.toml").write_text("source = 'x'\n")

    import_that_meanwhile(monkeypatch, someone_swaps_it)
    code, _out, err = cli("import", "onet", SLICE, "--all", "--out", out, "--force")
    assert code == 1
    assert "a folder that is not empty appeared there during the import" in err
    assert (out / "facts" / "mine.toml").read_text() == "source = 'x'\n"
    assert listing(tmp_path) == ["kb", "moved"]


def test_force_keeps_what_was_added_to_the_kb_during_the_import(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "kb"
    assert cli("import", "onet", SLICE, "--occupations", "15-2051.00", "--out", out)[0] == 0
    import_that_meanwhile(monkeypatch, lambda: (out / "roles" / "notes.txt").write_text("mine"))
    code, _out, err = cli("import", "onet", SLICE, "--all", "--out", out, "--force")
    assert code == 1
    assert err == (
        f"rolecompare: {out}: now holds 'roles/notes.txt', which is not part of a KB; "
        "the KB was not replaced\n"
    )
    assert (out / "roles" / "notes.txt").read_text() == "mine"
    assert listing(out / "roles") == ["15-2051-00.json", "notes.txt"]
    assert listing(tmp_path) == ["kb"]


def test_import_out_empty_is_a_usage_error(cli: Any, tmp_path: Path) -> None:
    code, _out, err = cli("import", "onet", SLICE, "--all", "--out", "")
    assert code == 2
    assert "--out is empty" in err
    assert listing(Path()) == []


def test_imported_folders_get_the_umask_and_force_keeps_a_folder_mode(
    cli: Any, tmp_path: Path
) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "kb"
        assert cli("import", "onet", SLICE, "--occupations", "15-2051.00", "--out", out)[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o755
        out.chmod(0o750)
        code, _out, err = cli(
            "import", "onet", SLICE, "--occupations", "15-2041.00", "--out", out, "--force"
        )
        assert code == 0, err
        assert stat.S_IMODE(out.stat().st_mode) == 0o750
        assert listing(out / "roles") == ["15-2041-00.json"]
        empty = tmp_path / "empty"
        empty.mkdir(mode=0o711)
        empty.chmod(0o711)
        assert cli("import", "onet", SLICE, "--occupations", "15-2041.00", "--out", empty)[0] == 0
        assert stat.S_IMODE(empty.stat().st_mode) == 0o711
    finally:
        os.umask(old)


def test_a_kb_that_does_not_validate_is_reported_as_the_out_folder(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facts, "TOPICS", [("onet-description", "x", "nope", None, False)])
    out = tmp_path / "my-kb"
    code, _out, err = cli("import", "onet", SLICE, "--all", "--out", out)
    assert code == 1
    assert err.startswith(f"rolecompare: {out}: not written: the imported KB does not validate (")
    assert "; the first: my-kb/" in err
    assert ".importing" not in err
    assert listing(tmp_path) == []


STAGE_AND_WAIT = """
import sys, time
from pathlib import Path
from rolecompare.importers.outdir import Staging
stage = Staging(Path(sys.argv[1]), False).__enter__()
(stage.kb / "roles").mkdir()
(stage.kb / "roles" / "half.json").write_text("{")
print("ready", flush=True)
time.sleep(600)
"""


def test_the_temporary_folder_of_a_killed_import_is_cleared_by_the_next(
    cli: Any, tmp_path: Path
) -> None:
    out = tmp_path / "kb"
    lookalike = tmp_path / ".kb.abcdefgh.importing"  # not made by rolecompare: kept
    lookalike.mkdir()
    (lookalike / "roles").mkdir()
    (lookalike / "roles" / "x.json").write_text("{}")
    running: list[subprocess.Popen[str]] = []
    try:
        for _ in range(2):
            child = subprocess.Popen(
                [sys.executable, "-c", STAGE_AND_WAIT, str(out)], stdout=subprocess.PIPE, text=True
            )
            running.append(child)
            assert child.stdout is not None
            assert child.stdout.readline() == "ready\n"
        killed = running[0]  # the other keeps running
        killed.kill()
        killed.wait()  # as kill -9 would: no clean-up ran
        stages = [n for n in listing(tmp_path) if n.endswith(".importing")]
        assert len(stages) == 3
        code, _out, err = cli("import", "onet", SLICE, "--all", "--out", out)
        assert code == 0, err
        left = [n for n in listing(tmp_path) if n.endswith(".importing")]
        assert len(left) == 2  # the running import's, and the look-alike
        assert lookalike.name in left
        assert (lookalike / "roles" / "x.json").read_text() == "{}"
    finally:
        for child in running:
            child.kill()
            child.wait()
            assert child.stdout is not None
            child.stdout.close()


KILLED_WHILE_REPLACING = """
import os, sys, time
from pathlib import Path
from rolecompare.importers import outdir
out = Path(sys.argv[1])
stage = outdir.Staging(out, True).__enter__()
os.rename(out, stage.kb.parent / outdir.OLD)  # the old KB moved aside, the new not yet in
print("ready", flush=True)
time.sleep(600)
"""


def test_an_import_killed_while_replacing_a_kb_gets_the_old_kb_back(
    cli: Any, tmp_path: Path
) -> None:
    out = tmp_path / "kb"
    assert cli("import", "onet", SLICE, "--occupations", "15-2051.00", "--out", out)[0] == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_WHILE_REPLACING, str(out)], stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout is not None
            ready = child.stdout.readline()
        finally:
            child.kill()  # as kill -9 would: no clean-up runs
    assert ready == "ready\n"
    assert not out.exists()
    code, _out, err = cli("import", "onet", SLICE, "--all", "--out", out)
    assert code == 2  # the old KB is back, so KB_DIR is not empty
    assert "folder is not empty" in err
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert listing(tmp_path) == ["kb"]


# ---------------------------------------------------------------- verify: paths a KB names


CODE = "15-2051.00"
DS_FACTS = Path("facts") / "onet" / "15-2051-00.json"
ZONE_RECORD = '"file": "Job Zones.txt"'


def imported_kb(tmp_path: Path) -> tuple[Path, Path]:
    """A KB imported from a copy of the slice in tmp_path/shared/sources/db, and the
    sources folder (tmp_path/shared) to verify it against."""
    shared = tmp_path / "shared"
    db = Path(shutil.copytree(SLICE, shared / "sources" / "db"))
    kb = tmp_path / "kb"
    onet.import_onet(db, kb, [CODE])
    assert verify_kb_dir(kb, shared) == []
    return kb, shared


def zone_record(kb: Path) -> tuple[str, int]:
    """The field path and the line of the job-zone statement's record file in DS_FACTS,
    found in the imported file itself (the importer decides how many statements precede it)."""
    text = (kb / DS_FACTS).read_text("utf-8")
    statements = json.loads(text)["statements"]
    [index] = [
        i for i, s in enumerate(statements) if s.get("record", {}).get("file") == "Job Zones.txt"
    ]
    line = text[: text.index(ZONE_RECORD)].count("\n") + 1
    return f"statements[{index}].record.file", line


def edit_kb(kb: Path, rel: Path, old: str, new: str) -> None:
    path = kb / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_a_record_naming_a_file_outside_the_sources_folder_reads_nothing(
    tmp_path: Path,
) -> None:
    kb, shared = imported_kb(tmp_path)
    field, _line = zone_record(kb)
    (tmp_path / "creds.tsv").write_text(f"O*NET-SOC Code\tJob Zone\n{CODE}\thunter2\n")
    for name in ["../../../creds.tsv", str(tmp_path / "creds.tsv")]:
        edit_kb(kb, DS_FACTS, ZONE_RECORD, f'"file": "{name}"')
        problems = verify_kb_dir(kb, shared)
        assert [p.field for p in problems] == [field]
        assert "is not a plain relative path" in problems[0].message
        assert "hunter2" not in " ".join(map(str, problems))
        edit_kb(kb, DS_FACTS, f'"file": "{name}"', ZONE_RECORD)


def test_a_document_outside_the_sources_folder_is_no_oracle(tmp_path: Path) -> None:
    kb, shared = imported_kb(tmp_path)
    for document in ["../secret-folder", str(SLICE), "sources/./db", "sources//db"]:
        edit_kb(kb, Path("sources") / "onet.json", '"sources/db"', f'"{document}"')
        problems = verify_kb_dir(kb, shared)
        assert [(p.field, "is not a plain relative path" in p.message) for p in problems] == [
            ("source.document", True)
        ]
        edit_kb(kb, Path("sources") / "onet.json", f'"{document}"', '"sources/db"')


def test_verify_never_reads_through_a_symlink_in_the_sources_folder(tmp_path: Path) -> None:
    kb, shared = imported_kb(tmp_path)
    field, _line = zone_record(kb)
    (shared / "sources" / "elsewhere").symlink_to(SLICE)
    edit_kb(kb, Path("sources") / "onet.json", '"sources/db"', '"sources/elsewhere"')
    problems = verify_kb_dir(kb, shared)
    assert [(p.field, p.message) for p in problems] == [
        (
            "source.document",
            "document 'sources/elsewhere': elsewhere is a symlink; sources are read only as "
            "real files",
        )
    ]
    zones = shared / "sources" / "db" / "Job Zones.txt"
    zones.unlink()
    zones.symlink_to("/dev/zero")
    edit_kb(kb, Path("sources") / "onet.json", '"sources/elsewhere"', '"sources/db"')
    problems = verify_kb_dir(kb, shared)
    assert [p.field for p in problems] == [field]
    assert problems[0].message == (
        f"data file not found or unreadable: {zones} (is a symlink; sources are read only "
        "as real files and folders)"
    )


def test_verify_does_not_wait_on_a_fifo(run_subprocess: Any, tmp_path: Path) -> None:
    kb, shared = imported_kb(tmp_path)
    field, line = zone_record(kb)
    zones = shared / "sources" / "db" / "Job Zones.txt"
    zones.unlink()
    os.mkfifo(zones)
    result = run_subprocess("verify", "--sources", shared, "--kb", kb, timeout=30)
    assert result.returncode == 1
    assert result.stderr == (
        f"rolecompare: kb/{DS_FACTS}:{line}: {field}: data file not found or "
        f"unreadable: {zones} (is a FIFO, not a regular file; refusing to read it)\n"
    )


def test_validate_refuses_paths_that_leave_the_sources_folder(cli: Any, tmp_path: Path) -> None:
    kb, shared = imported_kb(tmp_path)
    field, line = zone_record(kb)
    edit_kb(kb, Path("sources") / "onet.json", '"sources/db"', '"/etc"')
    edit_kb(kb, DS_FACTS, ZONE_RECORD, '"file": "../../etc/passwd"')
    code, out, err = cli("validate", kb)
    assert (code, out) == (1, "")
    assert (
        f"rolecompare: kb/{DS_FACTS}:{line}: {field}: '../../etc/passwd' is "
        "not a plain relative path: it has a '..' part; it must stay inside the sources folder\n"
    ) in err
    assert (
        "rolecompare: kb/sources/onet.json:12: source.document: '/etc' is not a plain relative "
        "path: it is absolute; give a path relative to the sources folder\n"
    ) in err
    code, _out, err = cli("verify", "--sources", shared, "--kb", kb)
    assert code == 1
    assert "passwd" in err
    assert "root:" not in err


# ---------------------------------------------------------------- a byte-order mark


def test_files_with_a_byte_order_mark_import_and_verify_alike(cli: Any, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    db = Path(shutil.copytree(SLICE, shared / "sources" / "db"))
    for path in db.glob("*.txt"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    kb = tmp_path / "kb"
    code, _out, err = cli("import", "onet", db, "--occupations", CODE, "--out", kb)
    assert code == 0, err
    code, out, err = cli("verify", "--sources", shared, "--kb", kb)
    assert (code, err) == (0, "")
    assert out == f"{kb}: every quote, record and number matches {shared}\n"


# ---------------------------------------------------------------- verify: documents by content

SHARED = ROOT.parent / "shared"


def own_copy_of_the_sources(tmp_path: Path) -> Path:
    """The pinned documents under other names, as someone else's copy would be."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"the pinned sources are not at {SHARED}")
    mine = tmp_path / "my-sources"
    (mine / "articles").mkdir(parents=True)
    shutil.copy(SHARED / "seeds" / "000_a6e9182c0dd2056c.txt", mine / "articles" / "acte.txt")
    shutil.copy(SHARED / "seeds" / "003_d02817c78c7489a7.txt", mine / "365-data-science.txt")
    shutil.copy(SHARED / "sources" / "bls-ooh" / "data-scientists.html", mine / "bls.html")
    shutil.copytree(SHARED / "sources" / "onet-29.2", mine / "sources" / "onet-29.2")
    postings = SHARED / "sources" / "postings"
    (mine / "postings").mkdir()
    shutil.copy(
        postings / "data-jobs-2023" / "data_jobs_salary_all.csv", mine / "postings" / "a.csv"
    )
    shutil.copy(
        postings / "asaniczka-2024" / "postings_with_skills.csv", mine / "postings" / "b.csv"
    )
    shutil.copy(postings / "aijobs-salaries" / "salaries.csv", mine / "postings" / "c.csv")
    return mine


def test_verify_finds_each_document_by_its_content_whatever_its_name(
    cli: Any, tmp_path: Path
) -> None:
    mine = own_copy_of_the_sources(tmp_path)
    code, out, err = cli("verify", "--sources", mine)
    assert (code, err) == (0, "")
    assert out == f"the bundled KB: every quote, record and number matches {mine}\n"


def test_a_copy_that_differs_from_the_pinned_document_is_one_problem(
    cli: Any, tmp_path: Path
) -> None:
    mine = own_copy_of_the_sources(tmp_path)
    copy = mine / "bls.html"
    toml = (Path(__file__).parents[1] / "data" / "sources" / "bls-ooh.toml").read_text("utf-8")
    sha256_line = toml[: toml.index("\nsha256 =")].count("\n") + 2
    copy.write_bytes(copy.read_bytes().replace(b"$112,590", b"$112,591", 1))
    code, _out, err = cli("verify", "--sources", mine)
    assert code == 1
    assert err.splitlines() == [
        f"rolecompare: data/sources/bls-ooh.toml:{sha256_line}: source.sha256: no file in "
        f"{mine} has the content of sources/bls-ooh/data-scientists.html (SHA-256 "
        "7e4e85b5068bac28ecac5f09cb46495abae42b62d55bae13b3eb08b67b42e455)"
    ]


def test_force_on_a_kb_with_a_folder_it_cannot_list_is_refused_without_a_traceback(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "kb"
    assert cli("import", "onet", SLICE, "--occupations", CODE, "--out", out)[0] == 0
    listdir = os.listdir

    def refuse_roles(path: Any) -> list[str]:
        if Path(path) == out / "roles":
            raise PermissionError(13, "Permission denied")
        return listdir(path)

    with monkeypatch.context() as patched:
        patched.setattr(os, "listdir", refuse_roles)
        code, _out, err = cli("import", "onet", SLICE, "--all", "--out", out, "--force")
    assert code == 2
    assert err == f"rolecompare: {out}: cannot list it all (Permission denied)\n"
    assert listing(out / "roles") == ["15-2051-00.json"]


def test_report_refuses_to_replace_a_fifo_or_a_folder(cli: Any, kb3: Path) -> None:
    os.mkfifo("pipe.html")
    Path("folder.html").mkdir()
    for name in ["pipe.html", "folder.html"]:
        code, _out, err = cli("--kb", kb3, "report", "--out", name)
        assert code == 1
        assert err == (
            f"rolecompare: {name}: exists and is not a regular file; refusing to replace it\n"
        )
    assert listing(Path()) == ["folder.html", "pipe.html"]
    assert listing(Path("folder.html")) == []
