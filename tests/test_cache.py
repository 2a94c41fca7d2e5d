"""The validated KB kept between runs: used when it may be, never when it may not.

Behaviour only; how fast it is is scripts/bench.py's business, not a unit test's.
Every test has its own empty ROLECOMPARE_CACHE_DIR (conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rolecompare.kb import cache
from rolecompare.kb import load as loader
from rolecompare.kb.types import FACT_KINDS

DS = Path("facts") / "survey" / "ds.toml"
SKILLS_JSON = ["skills", "--format", "json"]


def entries() -> list[Path]:
    """The cache folder's files but the CACHEDIR.TAG that marks a folder the cache made."""
    folder = Path(os.environ["ROLECOMPARE_CACHE_DIR"])
    return sorted(p for p in folder.iterdir() if p.name != "CACHEDIR.TAG")


def cache_key(kb: Path) -> str:
    key = loader.cache_key(kb)
    assert key is not None
    return key


def only_entry() -> Path:
    found = entries()
    assert len(found) == 1, found
    assert found[0].name.startswith("kb-")
    assert found[0].suffix == ".json"
    return found[0]


def python_share(cli: Any, kb: Path) -> float:
    code, out, err = cli("--kb", kb, *SKILLS_JSON)
    assert (code, err) == (0, ""), err
    rows = [row for s in json.loads(out)["sections"] for row in s["rows"]]
    value: float = next(row["values"]["ds"] for row in rows if row["item"] == "python")
    return value


def modules_after(
    run_subprocess: Any,
    argv: list[str],
    env: dict[str, str] | None = None,
    modules: tuple[str, ...] = ("pydantic", "rich"),
) -> tuple[Any, list[str]]:
    """Run the CLI in a fresh interpreter; which of `modules` it imported, reported at exit."""
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print([m for m in {modules!r} if m in sys.modules], "
        "file=sys.stderr))\n"
        "from rolecompare.main import main\n"
        f"main({argv!r})\n"
    )
    result = run_subprocess(python_args=("-c", code), env=env)
    *_, last = result.stderr.strip().splitlines() or [""]
    return result, json.loads(last.replace("'", '"'))


# ---- served from the cache ---------------------------------------------------------------


def test_second_run_is_served_from_the_cache_without_pydantic(
    run_subprocess: Any, kb3: Path
) -> None:
    argv = ["--kb", str(kb3), *SKILLS_JSON]
    first, imported = modules_after(run_subprocess, argv, modules=("pydantic",))
    assert first.returncode == 0, first.stderr
    assert imported == ["pydantic"]  # the first run validates
    only_entry()
    second, imported = modules_after(run_subprocess, argv, modules=("pydantic",))
    assert second.returncode == 0, second.stderr
    assert imported == []  # the second one does not need to
    assert second.stdout == first.stdout
    only_entry()


def test_bundled_kb_is_shipped_validated(run_subprocess: Any) -> None:
    """Even the first run after install skips validation: the package ships it done."""
    first, imported = modules_after(run_subprocess, SKILLS_JSON)
    assert first.returncode == 0, first.stderr
    assert imported == []
    assert entries() == []  # nothing to cache: the shipped copy serves every run


def test_changed_bundled_kb_is_validated_not_shipped(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of the bundled KB with one figure changed is validated and shows the change."""
    import shutil

    from rolecompare.kb.files import bundled_kb

    kb = Path(shutil.copytree(bundled_kb(), tmp_path / "data"))
    ds = kb / "facts" / "365datascience" / "ds.toml"
    ds.write_text(ds.read_text("utf-8").replace("percent = 56.7", "percent = 56.8"), "utf-8")
    code, out, err = cli("--kb", kb, *SKILLS_JSON)
    assert code == 0, err
    rows = [row for s in json.loads(out)["sections"] for row in s["rows"]]
    assert next(r["values"]["ds"] for r in rows if r["item"] == "python") == 56.8
    only_entry()


COMPLETE = {
    "_ROLECOMPARE_COMPLETE": "complete_bash",
    "COMP_WORDS": "rolecompare skills --roles ",
    "COMP_CWORD": "3",
}


@pytest.mark.parametrize(
    ("argv", "env", "expect"),
    [
        pytest.param(["--version"], None, "rolecompare ", id="version"),
        pytest.param(["--help"], None, "Usage", id="help"),
        pytest.param(["skills", "--help"], None, "--roles", id="command-help"),
        pytest.param([], COMPLETE, "de\nds\nmle\n", id="completion"),
    ],
)
def test_startup_paths_import_neither_rich_nor_pydantic(
    run_subprocess: Any, kb3: Path, argv: list[str], env: dict[str, str] | None, expect: str
) -> None:
    result, imported = modules_after(
        run_subprocess, argv, {**(env or {}), "ROLECOMPARE_KB": str(kb3)}
    )
    assert result.returncode == 0, result.stderr
    assert expect in result.stdout
    assert imported == []
    assert entries() == []  # nor do they touch the cache


GC_SPY = """
import gc, sys
import rolecompare.cli as cli
seen = {"collections": 0, "work": None}
def count(phase, info):
    seen["collections"] += phase == "start"
gc.callbacks.append(count)
resume = cli.resume_collector
def spy():
    before = seen["collections"]
    resume()
    seen["work"] = (before, gc.isenabled())
cli.resume_collector = spy
from rolecompare.main import main
seen["collections"] = 0
try:
    main(ARGV)
except SystemExit as exc:
    print(exc.code, seen["work"], gc.isenabled(), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("argv", "work"),
    [
        pytest.param(["skills"], "(0, True)", id="command"),
        pytest.param(["--help"], "None", id="help"),
        pytest.param(["skills", "--no-such-option"], "(0, True)", id="bad-option"),
        pytest.param(["no-such-command"], "None", id="usage-error"),
    ],
)
def test_start_up_runs_without_the_collector_and_the_work_with_it(
    run_subprocess: Any, argv: list[str], work: str
) -> None:
    """No collection during start-up (imports, the command tree); a command's own work,
    such as validating a large KB, runs with the collector on; and main() leaves it on."""
    result = run_subprocess(python_args=("-c", GC_SPY.replace("ARGV", repr(argv))))
    *_, last = result.stderr.strip().splitlines()
    code = 2 if "no-such" in argv[-1] else 0
    assert last == f"{code} {work} True"


# ---- never wrong ------------------------------------------------------------------------


# A figure as the entry holds it, in its part.
PYTHON_605, PYTHON_995 = b'"percent":60.5', b'"percent":99.5'


def damage_truncate(entry: Path) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) - 40])


def damage_truncate_checksum(entry: Path) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[:10])


def damage_garbage(entry: Path) -> None:
    entry.write_bytes(os.urandom(entry.stat().st_size))


def damage_empty(entry: Path) -> None:
    entry.write_bytes(b"")


def damage_role_name(entry: Path) -> None:
    """A changed role name, under the old checksum."""
    data = entry.read_bytes()
    assert b'"Data Scientist"' in data
    entry.write_bytes(data.replace(b'"Data Scientist"', b'"Data Scientizt"'))


def damage_figure(entry: Path) -> None:
    """A changed number, same length, under the old checksum."""
    data = entry.read_bytes()
    assert data.count(PYTHON_605) == 1
    entry.write_bytes(data.replace(PYTHON_605, PYTHON_995))


def checksummed(head: bytes, body: bytes = b"") -> bytes:
    """An entry of this layout with head and body, its first line right for the head."""
    return b"%s %s %d\n" % (cache.MAGIC, cache._checksum(head), len(head)) + head + b"\n" + body


def damage_json_of_another_shape(entry: Path) -> None:
    """Well-formed and correctly checksummed, but not what this version writes."""
    entry.write_bytes(checksummed(json.dumps({"base": [], "parts": 3}).encode()))


def damage_deeply_nested(entry: Path) -> None:
    """Correctly checksummed JSON nested far deeper than the decoder's recursion limit."""
    entry.write_bytes(checksummed(b"[" * 100_000 + b"]" * 100_000))


def damage_wrong_types(entry: Path) -> None:
    """Every kind present, but of the wrong type."""
    empty = f"0 2 {cache._checksum(b'[]').decode()}"
    doc = {
        "base": dict.fromkeys(cache.BASE_KINDS, "x"),
        "terms": f"vocabulary {empty}",
        "parts": {"ds": f"figures {empty}"},
    }
    entry.write_bytes(checksummed(json.dumps(doc).encode(), b"[]\n"))


def damage_piece_beyond_the_end(entry: Path) -> None:
    """A head that places the vocabulary past the end of the file."""
    doc = json.loads(entry.read_bytes().split(b"\n")[1])
    kind, offset, length, checksum = doc["terms"].split(" ")
    doc["terms"] = f"{kind} {int(offset) + entry.stat().st_size} {length} {checksum}"
    entry.write_bytes(checksummed(json.dumps(doc).encode()))


def damage_old_layout(entry: Path) -> None:
    """The layout of an earlier version: one checksum line, then the whole entry."""
    body = entry.read_bytes().partition(b"\n")[2]
    entry.write_bytes(cache._checksum(body) + b"\n" + body)


def damage_directory(entry: Path) -> None:
    entry.unlink()
    entry.mkdir()


def damage_delete(entry: Path) -> None:
    entry.unlink()


DAMAGE = [
    damage_truncate,
    damage_truncate_checksum,
    damage_garbage,
    damage_empty,
    damage_role_name,
    damage_figure,
    damage_json_of_another_shape,
    damage_deeply_nested,
    damage_wrong_types,
    damage_piece_beyond_the_end,
    damage_old_layout,
    damage_directory,
    damage_delete,
]


@pytest.mark.parametrize(
    "damage",
    [pytest.param(f, id=f.__name__.removeprefix("damage_").replace("_", "-")) for f in DAMAGE],
)
def test_damaged_entry_falls_back_to_validation(kb3: Path, damage: Callable[[Path], None]) -> None:
    reference = loader.validate_dir(kb3)
    loader.load_kb(str(kb3))
    damage(only_entry())
    assert loader.load_kb(str(kb3)) == reference  # validated again, not believed
    if damage is not damage_directory:
        entry = cache.read(cache_key(kb3))
        assert entry is not None
        assert entry.kb() == reference  # and re-cached


def test_damaged_entry_output_is_unchanged(cli: Any, kb3: Path) -> None:
    code, first, _ = cli("--kb", kb3, *SKILLS_JSON)
    assert code == 0
    damage_figure(only_entry())
    assert cli("--kb", kb3, *SKILLS_JSON) == (0, first, "")


def test_changed_kb_gets_a_new_key_and_shows_the_new_figure(
    cli: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = copy_kb()
    assert python_share(cli, kb) == 60.5
    (old,) = entries()
    path = kb / DS
    path.write_text(path.read_text("utf-8").replace("percent = 60.5", "percent = 61.5"), "utf-8")
    assert python_share(cli, kb) == 61.5  # same size, same names: only the bytes differ
    assert python_share(cli, kb) == 61.5  # and again, from the new entry
    assert len(entries()) == 2
    assert old in entries()


def test_key_depends_on_contents_names_and_version(monkeypatch: pytest.MonkeyPatch) -> None:
    base = cache.key_for([("kb/a.toml", b"x = 1"), ("kb/b.toml", b"y = 2")])
    assert base == cache.key_for([("kb/a.toml", b"x = 1"), ("kb/b.toml", b"y = 2")])
    # The same files in two folders never share an entry: one KB cannot pass for another.
    assert cache.key_for([], f"/one/kb\0{base}") != cache.key_for([], f"/two/kb\0{base}")
    others = {
        cache.key_for([("kb/a.toml", b"x = 2"), ("kb/b.toml", b"y = 2")]),
        cache.key_for([("kb/c.toml", b"x = 1"), ("kb/b.toml", b"y = 2")]),
        cache.key_for([("kb/a.toml", b"x = 1y = 2"), ("kb/b.toml", b"")]),
        cache.key_for([("kb/a.toml", b"x = 1")]),
    }
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    others.add(cache.key_for([("kb/a.toml", b"x = 1"), ("kb/b.toml", b"y = 2")]))
    assert base not in others
    assert len(others) == 5


# ---- unwritable, disabled, atomic --------------------------------------------------------


@pytest.mark.parametrize("where", ["below-a-file", "a-file"])
def test_unwritable_cache_dir_still_works(
    cli: Any, kb3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    reference = cli("--kb", kb3, "skills")
    (tmp_path / "file").write_text("")
    folder = tmp_path / "file" / "cache" if where == "below-a-file" else tmp_path / "file"
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(folder))
    for _ in range(2):
        assert cli("--kb", kb3, "skills") == reference
    assert (tmp_path / "file").read_text() == ""


def test_empty_setting_turns_the_cache_off(
    cli: Any, kb3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() is None
    code, out, _ = cli("--kb", kb3, "skills")
    assert code == 0
    assert "60.5%" in out
    assert not (tmp_path / "xdg").exists()
    assert not (tmp_path / "home").exists()


def test_only_complete_entries_are_left(cli: Any, copy_kb: Callable[..., Path]) -> None:
    kbs = [copy_kb(f"kb{i}") for i in range(3)]
    for i, kb in enumerate(kbs):
        path = kb / DS
        path.write_text(path.read_text("utf-8").replace("60.5", f"6{i}.5"), "utf-8")
        for _ in range(2):
            assert cli("--kb", kb, "skills")[0] == 0
    found = entries()
    assert len(found) == 3
    for entry in found:
        assert entry.name.startswith("kb-"), entry
        assert entry.name.endswith(".json"), entry
        key = entry.name.removeprefix("kb-").removesuffix(".json")
        assert cache.read(key) is not None  # complete: every checksum holds


def test_failed_write_leaves_nothing_behind(kb3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("rolecompare.kb.cache.os.replace", fail)
    kb = loader.load_kb(str(kb3))
    assert kb["roles"]
    assert entries() == []  # neither an entry nor its temporary file


def test_entry_appears_whole_or_not_at_all(kb3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While an entry is being written, a reader sees no file of that name."""
    seen: list[list[Path]] = []
    real_replace = os.replace

    def watch(src: str, dst: str) -> None:
        seen.append([p for p in entries() if not p.name.startswith(".")])
        real_replace(src, dst)

    monkeypatch.setattr("rolecompare.kb.cache.os.replace", watch)
    loader.load_kb(str(kb3))
    assert seen == [[]]
    only_entry()


def test_old_entries_are_pruned(copy_kb: Callable[..., Path]) -> None:
    kb = copy_kb()
    path = kb / DS
    text = path.read_text("utf-8")
    for i in range(cache.KEEP_ENTRIES + 3):
        path.write_text(text.replace("60.5", f"{i}.5"), "utf-8")
        loader.load_kb(str(kb))
    assert len(entries()) == cache.KEEP_ENTRIES


# ---- leftovers ---------------------------------------------------------------------------


def test_what_a_killed_writer_left_is_cleared_later(kb3: Path) -> None:
    folder = Path(os.environ["ROLECOMPARE_CACHE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / ".kb-old.tmp", folder / ".kb-new.tmp"
    for path in (old, new):
        path.write_bytes(cache.MAGIC + b" half an entr")
    os.utime(old, (0, 0))
    loader.load_kb(str(kb3))
    assert not old.exists()
    assert new.exists()  # perhaps another writer's, still busy
    assert [p.name[:3] for p in entries() if p != new] == ["kb-"]


# ---- trusted only when it is the user's own (docs/security.md, "The cache") -----------


def forged(kb3: Path) -> tuple[Path, bytes]:
    """The entry kb3 gets, rewritten to say Python is at 99.5%, every checksum right."""
    kb = loader.load_kb(str(kb3))
    entry = only_entry()
    (python,) = [f for f in kb["figures"] if f["item"] == "python" and f["roles"] == ["ds"]]
    assert python["percent"] == 60.5
    python["percent"] = 99.5
    return entry, cache.encode(kb)


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_folder_others_can_write_is_not_trusted(cli: Any, kb3: Path, mode: int) -> None:
    entry, forgery = forged(kb3)
    entry.write_bytes(forgery)
    assert python_share(cli, kb3) == 99.5  # our own private folder: trusted (so the forgery shows)
    entry.parent.chmod(mode)
    assert python_share(cli, kb3) == 60.5  # anyone could have written it: validated instead


def test_entry_others_can_write_is_not_trusted(cli: Any, kb3: Path) -> None:
    entry, forgery = forged(kb3)
    entry.write_bytes(forgery)
    entry.chmod(0o666)
    assert python_share(cli, kb3) == 60.5


def test_symlinked_entry_is_not_followed(cli: Any, kb3: Path, tmp_path: Path) -> None:
    entry, forgery = forged(kb3)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(forgery)
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert python_share(cli, kb3) == 60.5


@pytest.mark.parametrize("special", ["fifo", "dev-zero"])
def test_special_entry_is_neither_waited_for_nor_read(
    run_subprocess: Any, kb3: Path, special: str
) -> None:
    loader.load_kb(str(kb3))
    entry = only_entry()
    entry.unlink()
    if special == "fifo":
        os.mkfifo(entry)
    else:
        entry.symlink_to("/dev/zero")
    result = run_subprocess("--kb", kb3, *SKILLS_JSON, timeout=30)
    assert result.returncode == 0, result.stderr
    assert '"ds": 60.5' in result.stdout


def test_folder_below_a_folder_others_can_write_is_not_trusted(
    cli: Any, kb3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # not sticky: anyone may rename our folder and put theirs instead
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(shared / "mine"))
    loader.load_kb(str(kb3))
    assert not cache.trusted_dir(shared / "mine")
    assert cache.read(cache_key(kb3)) is None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({"HOME": "", "XDG_CACHE_HOME": None}, None, id="empty-home"),
        pytest.param({"HOME": "relative/home", "XDG_CACHE_HOME": None}, None, id="relative-home"),
        pytest.param(
            {"HOME": "/h", "XDG_CACHE_HOME": "rel"},
            "/h/.cache/rolecompare",
            id="relative-xdg-ignored",
        ),
        pytest.param({"HOME": "/h", "XDG_CACHE_HOME": "/x"}, "/x/rolecompare", id="xdg"),
        pytest.param({"ROLECOMPARE_CACHE_DIR": "rel"}, None, id="relative-explicit"),
    ],
)
def test_cache_folder_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str | None], expected: str | None
) -> None:
    monkeypatch.delenv("ROLECOMPARE_CACHE_DIR")
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    found = cache.cache_dir()
    assert (None if found is None else str(found)) == expected


def test_empty_home_writes_nothing_outside(run_subprocess: Any, kb3: Path, tmp_path: Path) -> None:
    result = run_subprocess(
        "--kb",
        kb3,
        "skills",
        env={"ROLECOMPARE_CACHE_DIR": None, "XDG_CACHE_HOME": None, "HOME": ""},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a second, unprivileged user")
def test_another_users_forgery_is_not_believed(
    run_subprocess: Any, kb3: Path, tmp_path: Path
) -> None:
    """Another user owns a world-writable cache folder and plants a forged entry in it."""
    folder = tmp_path / "x"
    folder.mkdir()
    folder.chmod(0o777)
    tmp_path.chmod(0o755)
    entry, forgery = forged(kb3)
    planted = folder / entry.name
    planted.write_bytes(forgery)
    os.chown(folder, NOBODY, NOBODY)
    os.chown(planted, NOBODY, NOBODY)
    result = run_subprocess("--kb", kb3, *SKILLS_JSON, env={"ROLECOMPARE_CACHE_DIR": str(folder)})
    assert result.returncode == 0, result.stderr
    assert '"ds": 60.5' in result.stdout
    assert "99.5" not in result.stdout


def listing(folder: Path) -> list[tuple[str, int, int]]:
    """What is in folder: each name with its inode and owner, so that an entry replaced by
    another one of the same name shows too."""
    return sorted((p.name, p.lstat().st_ino, p.lstat().st_uid) for p in folder.iterdir())


def test_victims_cache_is_not_written_by_another_user(
    cli: Any, kb3: Path, unprivileged: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user runs rolecompare with the victim's cache folder, which the permission
    bits let them write (so that only rolecompare's own check stands in the way): it is not
    theirs, so they neither trust nor write it."""
    if not unprivileged.as_root:
        pytest.skip("needs root to act as a second user (see the faked-owner test below)")
    kb = Path(shutil.copytree(kb3, unprivileged.where / "kb"))  # where `nobody` can read it
    victims = unprivileged.where / "victim-cache"
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(victims))
    assert python_share(cli, kb) == 60.5  # the victim's own run writes its entry
    # ... in the folder it made, which it marks as a cache
    assert [p.name[:3] for p in sorted(victims.iterdir())] == ["CAC", "kb-"]
    victims.chmod(0o777)
    before = listing(victims)

    result = unprivileged.call(lambda: cli("--kb", kb, *SKILLS_JSON))
    assert result[0] == 0, result[2]
    assert '"ds": 60.5' in result[1]
    assert listing(victims) == before

    # The same user does write a cache folder of their own: the check above is not vacuous.
    theirs = unprivileged.where / "their-cache"
    theirs.mkdir()
    os.chown(theirs, unprivileged.uid, unprivileged.gid)
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(theirs))
    assert unprivileged.call(lambda: cli("--kb", kb, *SKILLS_JSON))[0] == 0
    assert [(name[:3], uid) for name, _, uid in listing(theirs)] == [("kb-", unprivileged.uid)]


def test_cache_folder_of_another_owner_is_neither_trusted_nor_written(
    cli: Any, kb3: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same, for any user who runs the suite: rolecompare is told it runs as another
    user, so the folder (which it may in fact write) and the forged entry in it are not its."""
    entry, forgery = forged(kb3)
    entry.write_bytes(forgery)
    assert python_share(cli, kb3) == 99.5  # our own folder: trusted (so the forgery shows)
    before = listing(entry.parent)
    real_uid = os.geteuid()
    with monkeypatch.context() as patch:
        patch.setattr(os, "geteuid", lambda: real_uid + 1)
        assert python_share(cli, kb3) == 60.5
    assert listing(entry.parent) == before
    assert entry.read_bytes() == forgery


# ---- a query about a few roles decodes only their facts ------------------------------------


@pytest.mark.parametrize("roles", [{"ds"}, {"ds", "mle"}, {"mle", "de"}])
def test_entry_decodes_only_the_facts_of_the_roles_asked_for(kb3: Path, roles: set[str]) -> None:
    full = loader.load_kb(str(kb3))  # validates and writes the entry
    entry = cache.read(cache_key(kb3))
    assert entry is not None
    assert entry.kb() == full
    some = entry.kb(roles)
    for kind in FACT_KINDS:
        expected = [f for f in full[kind] if roles & set(f["roles"])]  # type: ignore[literal-required]
        assert some[kind] == expected  # type: ignore[literal-required]
    assert 0 < len(some["figures"]) < len(full["figures"])


def test_a_damaged_piece_is_found_when_it_is_read(cli: Any, kb3: Path) -> None:
    """Only the pieces a query needs are read, and each is checked as it is read."""
    before = {r: cli("--kb", kb3, *SKILLS_JSON, "--roles", r) for r in ("ds", "mle")}
    entry_file = only_entry()
    entry = cache.read(cache_key(kb3))
    assert entry is not None
    full = entry.kb()
    body = entry_file.read_bytes()
    others = {p for role, places in entry.parts.items() if role != "mle" for p in places.split(";")}
    mle = next(p for p in entry.parts["mle"].split(";") if p not in others)  # only about mle
    at = body.index(b"\n", body.index(b"\n") + 1) + 1 + int(mle.split(" ")[1])  # its first byte
    damaged = body[:at] + b" " + body[at + 1 :]  # "[" becomes " ": no longer a list
    entry_file.write_bytes(damaged)
    entry = cache.read(cache_key(kb3))
    assert entry is not None  # the head still checks out
    assert entry.kb({"ds"})["figures"] == [f for f in full["figures"] if "ds" in f["roles"]]
    with pytest.raises(ValueError, match="checksum"):
        entry.kb({"mle"})
    for role, output in before.items():
        assert cli("--kb", kb3, *SKILLS_JSON, "--roles", role) == output
    assert entry_file.read_bytes() != damaged  # validated again, and cached anew


# Every command that loads facts, on a copy of the bundled KB (which is therefore cached,
# not shipped). Tableau is a tool that only ds's facts name: fit and plan must still know it.
EVERY_COMMAND = [
    ["skills"],
    ["tools", "--roles", "mle"],
    ["education", "--format", "json"],
    ["salary"],
    ["path"],
    ["summary"],
    ["work", "--roles", "mle,ds"],
    ["fit", "--have", "tableau,python", "--roles", "mle"],
    ["fit", "--list"],
    ["plan", "--from", "ds", "--to", "mle"],
    ["plan", "--to", "mle", "--have", "tableau"],
    ["quiz", "--answers", "list"],
    ["quiz", "--answers", "1,2,3,4,5,1", "--roles", "mle"],
    ["report", "--out", "-", "--roles", "mle"],
    ["roles"],
    ["sources"],
]


@pytest.mark.parametrize("argv", [pytest.param(a, id="-".join(a[:2])) for a in EVERY_COMMAND])
def test_a_warm_run_says_what_a_validating_run_says(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """Served from the cache, which reads only the shown roles' facts and the terms they
    name (every term where the user says what they have), the output is the same."""
    import shutil

    from rolecompare.kb.files import bundled_kb

    kb = Path(shutil.copytree(bundled_kb(), tmp_path / "kb"))
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", "")
    validated = cli("--kb", kb, *argv)
    assert validated[0] == 0, validated[2]
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(tmp_path / "cache"))
    assert cli("--kb", kb, *argv) == validated  # validates and fills the cache
    only_entry()
    assert cli("--kb", kb, *argv) == validated  # from the cache


@pytest.mark.parametrize("roles", [{"ds"}, {"mle"}, {"ds", "mle"}])
def test_a_query_gets_at_least_the_terms_its_facts_name(tmp_path: Path, roles: set[str]) -> None:
    import shutil

    from rolecompare.kb.files import bundled_kb

    kb = Path(shutil.copytree(bundled_kb(), tmp_path / "kb"))
    full = loader.load_kb(str(kb))
    entry = cache.read(cache_key(kb))
    assert entry is not None
    some = entry.kb(roles, every_term=False)
    named = {f["item"] for f in some["figures"]} | {
        t for s in some["statements"] for t in [s["item"], *s["terms"]] if t
    }
    ids = [t["id"] for t in some["terms"]]
    assert named <= set(ids) <= {t["id"] for t in full["terms"]}
    assert ("tableau" in ids) == ("ds" in roles)  # only ds's facts name it
    assert len(ids) == len(set(ids))
    assert all(t in full["terms"] for t in some["terms"])
    assert entry.kb(roles)["terms"] == full["terms"]


def test_a_touched_file_gets_a_new_key(copy_kb: Callable[..., Path]) -> None:
    kb = copy_kb()
    before = cache_key(kb)
    path = kb / DS
    path.write_bytes(path.read_bytes())  # same bytes, written again
    os.utime(path, ns=(1, 1))
    assert cache_key(kb) != before


def test_the_signature_is_the_same_listed_by_path_or_by_descriptor(
    copy_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rolecompare.kb import files

    kb = copy_kb()
    (kb / "facts" / "survey" / "deeper").mkdir()
    (kb / "facts" / "survey" / "deeper" / "more.toml").write_text("# nothing yet\n", "utf-8")
    by_descriptor = files.signature(kb)
    monkeypatch.setattr(files, "_SCAN_FD", False)  # as on a platform without it
    by_path = files.signature(kb)
    assert by_descriptor is not None
    assert by_path == by_descriptor
    assert "facts/survey/deeper/more.toml\0" in by_path


def test_a_kb_with_anything_odd_is_never_served_by_signature(copy_kb: Callable[..., Path]) -> None:
    kb = copy_kb()
    os.mkfifo(kb / "facts" / "survey" / "pipe.toml")
    assert loader.cache_key(kb) is None  # read with care instead, which reports the FIFO


def test_completion_reads_the_same_by_path_or_by_descriptor(
    copy_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rolecompare import completion

    kb = copy_kb()
    (kb / "roles" / "link.toml").symlink_to(kb / "roles" / "ds.toml")  # never followed
    by_descriptor = completion.role_ids(str(kb)), completion.term_names(str(kb))
    monkeypatch.setattr(completion, "_BY_FD", False)  # as on a platform without it
    by_path = completion.role_ids(str(kb)), completion.term_names(str(kb))
    assert by_path == by_descriptor
    assert by_path[0] == ["de", "ds", "mle"]
    assert "python" in by_path[1]
