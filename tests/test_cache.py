"""The validated KB kept between runs: used when it may be, never when it may not.

Behaviour only; how fast it is is scripts/bench.py's business, not a unit test's.
Every test has its own empty ROLECOMPARE_CACHE_DIR (conftest.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rolecompare import cache, loader

DS = Path("facts") / "survey" / "ds.toml"
SKILLS_JSON = ["skills", "--format", "json"]


def entries() -> list[Path]:
    return sorted(Path(os.environ["ROLECOMPARE_CACHE_DIR"]).iterdir())


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


def modules_after(run_subprocess: Any, argv: list[str], env: dict[str, str] | None = None,
                  modules: tuple[str, ...] = ("pydantic", "rich")) -> tuple[Any, list[str]]:
    """Run the CLI in a fresh interpreter; which of `modules` it imported, reported at exit."""
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print([m for m in {modules!r} if m in sys.modules], "
        "file=sys.stderr))\n"
        "from rolecompare.cli import main\n"
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


def test_bundled_kb_is_cached_too(run_subprocess: Any) -> None:
    first, _ = modules_after(run_subprocess, SKILLS_JSON)
    second, imported = modules_after(run_subprocess, SKILLS_JSON)
    assert (first.returncode, second.returncode) == (0, 0)
    assert "pydantic" not in imported
    assert second.stdout == first.stdout
    only_entry()


COMPLETE = {"_ROLECOMPARE_COMPLETE": "complete_bash",
            "COMP_WORDS": "rolecompare skills --roles ", "COMP_CWORD": "3"}


@pytest.mark.parametrize(("argv", "env", "expect"), [
    pytest.param(["--version"], None, "rolecompare ", id="version"),
    pytest.param(["--help"], None, "Usage", id="help"),
    pytest.param(["skills", "--help"], None, "--roles", id="command-help"),
    pytest.param([], COMPLETE, "de\nds\nmle\n", id="completion"),
])
def test_startup_paths_import_neither_rich_nor_pydantic(
    run_subprocess: Any, kb3: Path, argv: list[str], env: dict[str, str] | None, expect: str
) -> None:
    result, imported = modules_after(run_subprocess, argv, {**(env or {}),
                                                            "ROLECOMPARE_KB": str(kb3)})
    assert result.returncode == 0, result.stderr
    assert expect in result.stdout
    assert imported == []
    assert entries() == []  # nor do they touch the cache


# ---- never wrong ------------------------------------------------------------------------


def damage_truncate(entry: Path) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) - 40])


def damage_truncate_index(entry: Path) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: data.index(b"\n") + 20])


def damage_garbage(entry: Path) -> None:
    entry.write_bytes(os.urandom(entry.stat().st_size))


def damage_empty(entry: Path) -> None:
    entry.write_bytes(b"")


def damage_header(entry: Path) -> None:
    data = entry.read_bytes()
    head, _, rest = data.partition(b"\n")
    entry.write_bytes(head.split()[0] + b" 99999999999\n" + rest)


def damage_index_figure(entry: Path) -> None:
    """A changed role name in the index, under its old checksum."""
    data = entry.read_bytes()
    assert b'"Data Scientist"' in data
    entry.write_bytes(data.replace(b'"Data Scientist"', b'"Data Scientizt"'))


def damage_part_figure(entry: Path) -> None:
    """A changed number in a part, same length, under the part's old checksum."""
    data = entry.read_bytes()
    assert data.count(b'"percent":60.5') == 1
    entry.write_bytes(data.replace(b'"percent":60.5', b'"percent":99.5'))


def damage_json_of_another_shape(entry: Path) -> None:
    """Well-formed and correctly checksummed, but not what this version writes."""
    index = json.dumps({"base": [], "parts": 3}).encode()
    entry.write_bytes(b"%s %d\n" % (cache._check(index).encode(), len(index)) + index)


def damage_directory(entry: Path) -> None:
    entry.unlink()
    entry.mkdir()


def damage_delete(entry: Path) -> None:
    entry.unlink()


DAMAGE = [damage_truncate, damage_truncate_index, damage_garbage, damage_empty, damage_header,
          damage_index_figure, damage_part_figure, damage_json_of_another_shape,
          damage_directory, damage_delete]


@pytest.mark.parametrize("damage", [
    pytest.param(f, id=f.__name__.removeprefix("damage_").replace("_", "-")) for f in DAMAGE
])
@pytest.mark.parametrize("roles", [None, "ds,mle"], ids=["all-roles", "two-roles"])
def test_damaged_entry_falls_back_to_validation(
    kb3: Path, damage: Callable[[Path], None], roles: str | None
) -> None:
    reference = loader.validate_dir(kb3)
    loader.load_kb(str(kb3))
    damage(only_entry())
    assert loader.load_kb(str(kb3), roles) == reference  # validated again, not believed
    if damage is not damage_directory:
        assert loader.load_kb(str(kb3), roles) == restrict(reference, roles)  # and re-cached


def test_damaged_entry_output_is_unchanged(cli: Any, kb3: Path) -> None:
    code, first, _ = cli("--kb", kb3, *SKILLS_JSON)
    assert code == 0
    damage_part_figure(only_entry())
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


def test_failed_write_leaves_nothing_behind(
    kb3: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", fail)
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

    monkeypatch.setattr(cache.os, "replace", watch)
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


# ---- a query about a few roles reads only their facts ------------------------------------


def restrict(kb: Any, roles: str | None) -> Any:
    """What load_kb(..., roles) serves from the cache: only facts involving those roles."""
    if roles is None:
        return kb
    ids = set(roles.split(","))
    return {k: v if k not in cache.FACT_KINDS else [x for x in v if ids & set(x["roles"])]
            for k, v in kb.items()}


@pytest.mark.parametrize("roles", ["ds", "ds,mle", "mle,de", "Data Scientist, ml engineer"])
def test_cached_kb_for_some_roles_holds_exactly_their_facts(kb3: Path, roles: str) -> None:
    full = loader.load_kb(str(kb3))  # validates and writes the entry
    ids = ",".join(loader._role_ids(roles, full["roles"]) or [])
    some = loader.load_kb(str(kb3), roles)
    assert some == restrict(full, ids)
    assert 0 < len(some["figures"]) < len(full["figures"])
    assert loader.load_kb(str(kb3)) == full  # the same entry still serves every role


@pytest.mark.parametrize("roles", ["nobody", "ds,nobody", "ds,", ""])
def test_unknown_role_loads_every_fact(kb3: Path, roles: str) -> None:
    full = loader.load_kb(str(kb3))
    assert loader.load_kb(str(kb3), roles) == full  # the query then reports the name


def test_first_run_for_some_roles_validates_everything(kb3: Path) -> None:
    assert loader.load_kb(str(kb3), "ds") == loader.validate_dir(kb3)


def test_bundled_kb_for_every_pair_of_roles() -> None:
    full = loader.load_kb()
    ids = [r["id"] for r in full["roles"]]
    for a in ids:
        for b in ids:
            if a != b:
                assert loader.load_kb(None, f"{a},{b}") == restrict(full, f"{a},{b}")


def test_what_a_killed_writer_left_is_cleared_later(kb3: Path) -> None:
    folder = Path(os.environ["ROLECOMPARE_CACHE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / ".kb-old.tmp", folder / ".kb-new.tmp"
    for path in (old, new):
        path.write_bytes(b"half an entr")
    os.utime(old, (0, 0))
    loader.load_kb(str(kb3))
    assert not old.exists()
    assert new.exists()  # perhaps another writer's, still busy
    assert [p.name[:3] for p in entries() if p != new] == ["kb-"]


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_gc_restores_the_collector(enabled: bool) -> None:
    import gc

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with cache.paused_gc():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), cache.paused_gc():
            raise KeyError("x")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
