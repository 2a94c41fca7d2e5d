"""A hostile KB costs bounded work and gets true messages.

Each case here was once a hang, a quadratic slowdown, a limit that never fired, a
wrong line or a cache that served or removed what it should not. Work is bounded
by a subprocess timeout or a count of calls, never by timing a test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DATA_ERROR = 1
DS = "facts/survey/ds.toml"
FIRST_FIGURE = 'percent = 60.5\nquote = "Python (60.5%) for data scientists"'


def replace_once(path: Path, old: str, new: str) -> str:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    changed = text.replace(old, new, 1)
    path.write_text(changed, "utf-8")
    return changed


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth occurrence of needle in text (counted by hand, not by
    the line index under test)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return text.count("\n", 0, start) + 1


# ---- TOML lines ----------------------------------------------------------------------------


def test_header_like_lines_in_a_string_do_not_hang(
    run_subprocess: Any, copy_kb: Callable[..., Path]
) -> None:
    """50 lines of `[`, 9,990 spaces and `x` inside a multi-line string, in a file with a
    problem to place: a backtracking header pattern took hours on them."""
    kb = copy_kb()
    evil = ("[" + " " * 9990 + "x\n") * 50
    replace_once(kb / DS, FIRST_FIGURE, f'percent = "high"\nquote = """\n{evil}"""')
    done = run_subprocess("validate", kb, timeout=20)
    assert done.returncode == DATA_ERROR, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"rolecompare: kb/{DS}:7: figures[0].percent: input should be a valid number",
        f"rolecompare: kb/{DS}:8: figures[0].quote: string should have at most 2000 characters",
    ]


@pytest.mark.parametrize("quotes", ['"""', "'''"])
def test_a_key_inside_a_multiline_string_is_not_the_field(
    cli: Any, copy_kb: Callable[..., Path], quotes: str
) -> None:
    """A `percent = …` line inside a multi-line string is text, not the figure's percent."""
    kb = copy_kb()
    text = replace_once(
        kb / DS,
        FIRST_FIGURE,
        f'quote = {quotes}\npercent = 60.5\n[[figures]]\nitem = "x"\n{quotes}\npercent = "high"',
    )
    line = line_of(text, "percent = ", 1)
    assert line == 12
    code, out, err = cli("validate", kb)
    assert (code, out) == (DATA_ERROR, "")
    assert (
        err == f"rolecompare: kb/{DS}:{line}: figures[0].percent: input should be a valid number\n"
    )


def test_line_index_reads_toml_as_tomllib_does() -> None:
    from rolecompare.kb.tomltext import LineIndex

    text = "\n".join(
        [
            "a = 1",  # 1
            "[[figures]]",  # 2
            'quote = """',  # 3
            "percent = 5",  # 4: inside the string
            '\\"""',  # 5: an escaped quote, the string goes on
            '[[figures]]"""',  # 6: the string ends here
            "percent = 7",  # 7
            "aliases = [",  # 8
            "  [1,",  # 9: inside an array
            "  2], # ]",  # 10
            "]",  # 11
            "count = 1",  # 12
            "[ \"tab le\" . 'b c' ]",  # 13
            "k.d = 1",  # 14
            '"esc\\u0041" = 2',  # 15
            "line = 'it\u2028is one line'",  # 16: tomllib counts lines by \n only
            "last = 1",  # 17
        ]
    )
    index = LineIndex(text)
    assert index.locate(("figures", 0, "percent")) == 7
    assert index.locate(("figures", 0, "count")) == 12
    assert index.headers[("figures",)] == [2]  # line 6 is in a string
    assert index.locate(("tab le", "b c", "k", "d")) == 14
    assert index.locate(("tab le", "b c", "escA")) == 15
    assert index.locate(("tab le", "b c", "last")) == 17


# ---- rules -----------------------------------------------------------------------------------


def test_known_ids_are_listed_once_per_kind(
    cli: Any, copy_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each unknown source, role and topic names a few known ids; they are sorted once per
    kind, not once per problem (per problem, a 3.3 MB KB took 170 s to validate)."""
    from rolecompare.kb import rules

    kb = copy_kb()
    statements = "".join(
        f'[[statements]]\ntopic = "no-topic-{i}"\ntext = "t"\nquote = "q"\n\n' for i in range(300)
    )
    roles = ", ".join(f'"nobody-{i}"' for i in range(40))
    (kb / "facts" / "survey" / "bad.toml").write_text(
        f'source = "nowhere"\nroles = [{roles}]\n\n{statements}', "utf-8"
    )
    listed: list[int] = []
    real = rules._known

    def counted(ids: Any, shown: int = 8) -> str:
        listed.append(1)
        return real(ids, shown)

    monkeypatch.setattr(rules, "_known", counted)
    code, out, err = cli("validate", kb)
    assert (code, out) == (DATA_ERROR, "")
    lines = err.splitlines()
    assert lines[0] == (
        "rolecompare: kb/facts/survey/bad.toml:1: source: unknown source 'nowhere'; known: survey"
    )
    assert lines[1] == (
        "rolecompare: kb/facts/survey/bad.toml:2: roles[0]: unknown role 'nobody-0'; "
        "known: de, ds, mle"
    )
    assert lines[-1] == "rolecompare: and 291 more problems"
    assert len(listed) <= 3  # sources, roles, topics


# ---- limits ----------------------------------------------------------------------------------

KB3_BYTES = 4031  # the fixture's eight files, counted by `find tests/fixtures/kb3 -printf %s`


def kb3_bytes(kb: Path) -> int:
    return sum(p.stat().st_size for p in kb.rglob("*") if p.is_file())


@pytest.mark.parametrize("command", [["validate", "{kb}"], ["--kb", "{kb}", "skills"]])
def test_the_whole_kb_limit_fires(
    cli: Any, copy_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """Over the whole-KB limit, the KB is refused as a whole, with that limit in the message;
    no file gets a "larger than" message about a limit that is not its own."""
    from rolecompare.kb import files

    kb = copy_kb()
    assert kb3_bytes(kb) == KB3_BYTES
    monkeypatch.setattr(files, "MAX_KB_BYTES", KB3_BYTES - 1)
    code, out, err = cli(*[str(kb) if a == "{kb}" else a for a in command])
    assert (code, out) == (DATA_ERROR, "")
    assert err == f"rolecompare: {kb}: KB is larger than 4,030 bytes; refusing to load\n"


def test_a_kb_of_exactly_the_limit_is_read(
    cli: Any, copy_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rolecompare.kb import files

    kb = copy_kb()
    monkeypatch.setattr(files, "MAX_KB_BYTES", KB3_BYTES)
    code, out, err = cli("validate", kb)
    assert (code, err) == (0, "")
    assert "valid" in out


# ---- completion ------------------------------------------------------------------------------

MAX_COMPLETION_READ = (
    8 * 1024 * 1024
)  # docs/security.md, "Limits": what one Tab press reads of a folder


def big_vocabulary(kb: Path, files: int) -> int:
    """files JSON vocabulary files of just under 1 MiB each (the per-file limit), one term
    each (`term-00`, ...); their size."""
    size = 1024 * 1024 - 100
    for i in range(files):
        head = f'{{"terms": [{{"kind": "skill", "name": "term-{i:02}", "meaning": "'
        doc = head + "x" * (size - len(head) - 4) + '"}]}'
        assert len(doc) == size
        (kb / "vocabulary" / f"big-{i:02}.json").write_text(doc, "ascii")
    return size


def test_completion_reads_a_bounded_total(copy_kb: Callable[..., Path]) -> None:
    from rolecompare.completion import term_names

    kb = copy_kb()
    size = big_vocabulary(kb, 10)
    offered = [name for name in term_names(str(kb)) if name.startswith("term-")]
    assert offered == [f"term-{i:02}" for i in range(len(offered))]  # the first files, in order
    assert offered
    assert len(offered) * size <= MAX_COMPLETION_READ


def test_tab_on_a_huge_vocabulary_offers_what_fits(
    run_subprocess: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = copy_kb()
    size = big_vocabulary(kb, 10)
    done = run_subprocess(
        env={
            "_ROLECOMPARE_COMPLETE": "complete_bash",
            "COMP_WORDS": f"rolecompare --kb {kb} fit --have term-",
            "COMP_CWORD": "5",
        },
        timeout=30,
    )
    assert (done.returncode, done.stderr) == (0, "")
    offered = done.stdout.split()
    assert offered == [f"term-{i:02}" for i in range(len(offered))]
    assert offered
    assert len(offered) * size <= MAX_COMPLETION_READ


def test_the_security_page_states_the_completion_limits() -> None:
    from rolecompare import completion

    readme = (Path(__file__).resolve().parents[1] / "docs" / "security.md").read_text("utf-8")
    assert (
        f"| a role file read by shell completion | {completion.MAX_ROLE_FILE:,} bytes |" in readme
    )
    assert f"| {completion.MAX_VOCABULARY_FILE:,} bytes (1 MiB) |" in readme
    assert f"per Tab press | {completion.MAX_READ:,} bytes (8 MiB) |" in readme


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        pytest.param("rolecompare sk", None, ["skills"], id="no-COMP_CWORD"),
        pytest.param(None, "1", None, id="no-COMP_WORDS"),
        pytest.param(None, None, None, id="neither"),
        pytest.param("rolecompare sk", "abc", ["skills"], id="not-a-number"),
        pytest.param("rolecompare sk", "9" * 5000, ["skills"], id="5000-digits"),
        pytest.param("rolecompare sk", "\u00b2", ["skills"], id="superscript-two"),
        pytest.param("rolecompare sk", "-1", ["skills"], id="negative"),
        pytest.param("rolecompare --kb {kb} skills --roles m", "", ["mle"], id="empty"),
    ],
)
def test_completion_with_odd_shell_variables(
    run_subprocess: Any, kb3: Path, words: str | None, cword: str | None, expected: Any
) -> None:
    """Whatever COMP_WORDS and COMP_CWORD hold, or if they are missing, Tab completes
    the last word or offers nothing: never an internal error."""
    done = run_subprocess(
        env={
            "_ROLECOMPARE_COMPLETE": "complete_bash",
            "COMP_WORDS": None if words is None else words.replace("{kb}", str(kb3)),
            "COMP_CWORD": cword,
        },
        timeout=30,
    )
    assert (done.returncode, done.stderr) == (0, "")
    if expected is not None:
        assert done.stdout.split() == expected


# ---- the cache -------------------------------------------------------------------------------


def fill_cache(copy_kb: Callable[..., Path], runs: int) -> None:
    """runs validations of different KB contents, each leaving one cache entry."""
    from rolecompare.kb.load import load_kb

    kb = copy_kb()
    path = kb / DS
    text = path.read_text("utf-8")
    for i in range(runs):
        path.write_text(text.replace("60.5", f"{i}.5"), "utf-8")
        load_kb(str(kb))


def test_pruning_keeps_what_rolecompare_did_not_write(copy_kb: Callable[..., Path]) -> None:
    """The cache folder may hold the user's own files named like entries: pruning removes
    only what rolecompare wrote, however old the others are."""
    import os

    folder = Path(os.environ["ROLECOMPARE_CACHE_DIR"])
    mine = {
        "kb-notes.json": b'{"my": "notes"}',
        "kb-0123456789abcdef.json": b"not an entry at all",
        ".kb-draft.tmp": b"a draft",
        ".kb-abcdefgh.tmp": b"",
    }
    for name, data in mine.items():
        (folder / name).write_bytes(data)
        os.utime(folder / name, (0, 0))  # older than anything: the first to go, if it went
    ours_left = folder / ".kb-left.tmp"
    ours_left.write_bytes(b"rolecompare-cache-2 8a0b half an entry")  # a killed writer's
    os.utime(ours_left, (0, 0))
    fill_cache(copy_kb, 10)
    names = sorted(p.name for p in folder.iterdir())
    for name, data in mine.items():
        assert (folder / name).read_bytes() == data
    assert ".kb-left.tmp" not in names
    entries = [n for n in names if n.startswith("kb-") and n not in mine]
    assert len(entries) == 8  # KEEP_ENTRIES: the newest of rolecompare's own


def test_a_cache_folder_rolecompare_makes_is_tagged(
    cli: Any, kb3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marked for backup tools as pip's and uv's caches are (bford.info/cachedir); a folder
    that existed already (it may be anything of the user's) is left untagged."""
    made = tmp_path / "new" / "cache"
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(made))
    assert cli("--kb", kb3, "roles")[0] == 0
    tag = (made / "CACHEDIR.TAG").read_bytes()
    assert tag.startswith(b"Signature: 8a477f597d28d172789f06886806bc55")
    existing = tmp_path / "mine"
    existing.mkdir()
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(existing))
    assert cli("--kb", kb3, "roles")[0] == 0
    assert not (existing / "CACHEDIR.TAG").exists()
    assert [p.name[:3] for p in existing.iterdir()] == ["kb-"]


def test_a_kb_switched_while_it_is_read_is_never_served_as_the_other(
    cli: Any, copy_kb: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--kb names a link that is switched from a broken KB to a valid one just after the
    cache key is taken: the valid KB's content must not be kept under the broken one's
    key, which once served the broken KB with exit 0 while `validate` refused it."""
    from rolecompare.kb import load

    good, bad = copy_kb("good"), copy_kb("bad")
    replace_once(bad / DS, "percent = 40", "percent = 156.7")
    link = tmp_path / "kb"
    link.symlink_to(bad)
    real_key = load.cache_key

    def key_then_switch(root: Path) -> str | None:
        key = real_key(root)
        link.unlink()
        link.symlink_to(good)  # the switch, between the key and the reading
        return key

    with monkeypatch.context() as patch:
        patch.setattr(load, "cache_key", key_then_switch)
        code, out, err = cli("--kb", link, "skills", "--format", "json")
    assert (code, err) == (0, "")  # it read the good KB, and showed it
    link.unlink()
    link.symlink_to(bad)
    code, out, err = cli("--kb", link, "skills", "--format", "json")
    assert (code, out) == (DATA_ERROR, "")
    assert "figures[1].percent: input should be less than or equal to 100" in err
    link.unlink()
    link.symlink_to(good)
    skills = ("skills", "--format", "json")
    assert cli("--kb", link, *skills) == cli("--kb", good, *skills)


# ---- look-alike role names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "why"),
    [
        pytest.param("D\u0430ta Scientist", None, id="cyrillic-a"),
        pytest.param("Data Sc\u0456ent\u0456st", None, id="cyrillic-i"),
        pytest.param("\u0405cientist Data", None, id="cyrillic-dze"),
        pytest.param("Data\u034f Scientist", "an invisible character (U+034F)", id="cgj"),
        pytest.param(
            "Data\u2800Scientist", "a blank character other than the space (U+2800)", id="braille"
        ),
        pytest.param("Data\u3164Scientist", "an invisible character (U+3164)", id="hangul-filler"),
        pytest.param(
            "Data Scientist\ufe0f", "an invisible character (U+FE0F)", id="variation-selector"
        ),
        pytest.param(
            "Data\u1680Scientist", "a blank character other than the space (U+1680)", id="ogham"
        ),
    ],
)
def test_look_alike_role_names_are_refused(
    cli: Any, copy_kb: Callable[..., Path], alias: str, why: str | None
) -> None:
    """An alias of mle that looks like ds's name (or like ds's name spelled backwards, for
    a letter that only has a look-alike in capitals) is refused, and so is one that hides a
    character."""
    kb = copy_kb()
    if alias.startswith("\u0405"):  # "Ѕcientist Data": make it look like another role's name
        replace_once(kb / "roles" / "de.toml", 'name = "Data Engineer"', 'name = "Scientist Data"')
    replace_once(kb / "roles" / "mle.toml", '"ml engineer"', f'"{alias}"')
    code, out, err = cli("validate", kb)
    assert (code, out) == (DATA_ERROR, "")
    lines = err.splitlines()
    owner = "de" if alias.startswith("\u0405") else "ds"
    expected = [f"rolecompare: kb/roles/mle.toml:4: role.aliases[0]: {alias!r} already names "]
    if why is not None:
        expected.insert(
            0, f"rolecompare: kb/roles/mle.toml:4: role.aliases[0]: {alias!r} holds {why}"
        )
    assert len(lines) == len(expected), err
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), line
    assert f"already names role '{owner}'" in lines[-1]


def test_validation_names_that_differ_for_real_pass(cli: Any, copy_kb: Callable[..., Path]) -> None:
    """Accents, other scripts on their own, and dashes are not look-alikes of anything here."""
    kb = copy_kb()
    replace_once(
        kb / "roles" / "mle.toml",
        '"ml engineer"',
        '"ingénieur en apprentissage automatique", "инженер машинного обучения", '
        '"機械学習エンジニア"',
    )
    code, _, err = cli("validate", kb)
    assert (code, err) == (0, "")


def test_the_confusables_data_is_imported_only_to_validate(
    run_subprocess: Any, copy_kb: Callable[..., Path]
) -> None:
    """--version, --help, completion and a run served from the cache never import it."""
    kb = copy_kb()
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('confusable_homoglyphs' in sys.modules, file=sys.stderr))\n"
        "from rolecompare.main import main\n"
        "main(sys.argv[1:])\n"
    )
    complete = {
        "_ROLECOMPARE_COMPLETE": "complete_bash",
        "COMP_WORDS": f"rolecompare --kb {kb} skills --roles ",
        "COMP_CWORD": "5",
    }
    runs = [
        (["--version"], {}),
        (["--help"], {}),
        ([], complete),
        (["validate", str(kb)], {}),  # validates: imports it
        (["--kb", str(kb), "skills"], {}),  # validates and fills the cache: imports it
        (["--kb", str(kb), "skills"], {}),  # served from the cache
    ]
    imported = []
    for argv, env in runs:
        done = run_subprocess(*argv, python_args=("-c", probe), env=env)
        assert done.returncode == 0, done.stderr
        imported.append(done.stderr.strip().splitlines()[-1])
    assert imported == ["False", "False", "False", "True", "True", "False"]


# ---- message length --------------------------------------------------------------------------

LONG = "x" * 100_000  # 100 KB
CUT = "'" + "x" * 299 + "…'"  # docs/security.md, "Limits": one value in a message is 300 characters


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["fit", "--have", LONG, "--strict"], id="fit-have"),
        pytest.param(["quiz", "--answers", LONG], id="quiz-answers"),
    ],
)
def test_a_100_kb_value_is_cut_in_a_message(cli: Any, kb3: Path, argv: list[str]) -> None:
    code, out, err = cli("--kb", kb3, *argv)
    assert (code, out) == (2, "")
    assert CUT in err
    assert "x" * 300 not in err
    assert all(len(line) < 1000 for line in err.splitlines())


def test_unknown_words_are_named_a_few_at_a_time(cli: Any, kb3: Path) -> None:
    words = ",".join(f"nope{i}" for i in range(2000))
    code, out, err = cli("--kb", kb3, "fit", "--have", words)
    assert code == 0  # a warning: nothing was recognised, so every role scores 0
    lines = err.splitlines()
    assert [line.split(";")[0] for line in lines] == [
        *(f"rolecompare: not recognised (ignored): 'nope{i}'" for i in range(5)),
        "rolecompare: not recognised (ignored): and 1,995 more",
    ]
    code, out, err = cli("--kb", kb3, "fit", "--have", words, "--strict")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 6
    assert err.splitlines()[-1].startswith("rolecompare: not recognised: and 1,995 more")


def test_a_100_kb_unknown_word_is_cut_in_the_warning(cli: Any, kb3: Path) -> None:
    code, _, err = cli("--kb", kb3, "fit", "--have", LONG)
    assert code == 0
    assert CUT in err
    assert "x" * 300 not in err


def test_no_message_line_is_unbounded() -> None:
    from rolecompare.errors import RoleCompareError

    error = RoleCompareError(f"first line\n{LONG}\nlast line")
    lines = error.message.split("\n")
    assert lines[0] == "first line"
    assert lines[1] == "x" * 999 + "…"
    assert lines[2] == "last line"


def test_completion_expands_a_tilde_as_the_shell_will(
    run_subprocess: Any, copy_kb: Callable[..., Path], tmp_path: Path
) -> None:
    """COMP_WORDS holds `~/kb` as typed; the shell expands it only to run the command."""
    copy_kb()  # tmp_path / "kb"
    done = run_subprocess(
        env={
            "_ROLECOMPARE_COMPLETE": "complete_bash",
            "COMP_WORDS": "rolecompare --kb ~/kb skills --roles ",
            "COMP_CWORD": "5",
            "HOME": str(tmp_path),
        },
        timeout=30,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.split() == ["de", "ds", "mle"]
