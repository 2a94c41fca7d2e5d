"""Property tests: whatever the arguments or the KB files, no uncaught exception.

* any argument list -> run() returns 0, 1 or 2, and a failure says why on stderr
  with nothing on stdout;
* any bytes, and any TOML document, as a KB file -> validate_dir() returns a KB
  or raises RoleCompareError, never anything else.

The cache is off (ROLECOMPARE_CACHE_DIR=""), so every example really validates,
and each test copies kb3 once, not once per example.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rolecompare.cli import app
from rolecompare.errors import MAX_PROBLEMS, KBError, RoleCompareError
from rolecompare.kb.load import validate_dir
from rolecompare.main import run

ROOT = Path(__file__).resolve().parents[1]
KB3 = ROOT / "tests" / "fixtures" / "kb3"

PROPERTY = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _no_cache(_isolated_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", "")


@pytest.fixture(scope="module")
def kb_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One private copy of kb3 per test module; each example rewrites one file of it."""
    return Path(shutil.copytree(KB3, tmp_path_factory.mktemp("prop") / "kb"))


@contextlib.contextmanager
def kb_file(path: Path, data: bytes) -> Iterator[None]:
    """path holds data for the duration; then it is back as it was (or gone)."""
    before = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        yield
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)


def validate_or_refuse(root: Path) -> None:
    """The property itself: a KB or a RoleCompareError; anything else fails the test.

    A KBError also keeps to the message contract: one printable line per problem.
    """
    try:
        validate_dir(root)
    except RoleCompareError as exc:
        refused: RoleCompareError | None = exc
    else:
        refused = None
    if refused is None:
        event("valid")
        return
    event(f"refused: {refused.message}"[:40])
    if isinstance(refused, KBError):
        lines = refused.message.split("\n")
        listed = min(len(refused.problems), MAX_PROBLEMS)
        more = len(refused.problems) > MAX_PROBLEMS
        assert len(lines) == listed + more, "one line per problem, then 'and N more'"
        if more:
            assert lines[-1] == f"and {len(refused.problems) - MAX_PROBLEMS:,} more problems"
        for line in lines:
            assert line.isprintable(), f"control characters reach the terminal: {line!r}"


# ---- arguments -------------------------------------------------------------------------------


def _command_names() -> list[str]:
    import typer

    group: Any = typer.main.get_command(app)
    return list(group.list_commands(None))


OPTIONS = [
    "--kb",
    "--roles",
    "-r",
    "--role",
    "--format",
    "-f",
    "--have",
    "--answers",
    "--help",
    "-h",
    "--version",
    "--",
]
VALUES = [
    "ds",
    "mle",
    "de",
    "Data Scientist",
    "ml engineer",
    "data scientist",
    "mel",
    "",
    ",",
    "ds,mle",
    "ds,ds",
    "ds,",
    "table",
    "json",
    "csv",
    "markdown",
    "xml",
    "python",
    "k8s",
    "list",
    "1,2,3",
    "5,5,5,5,5,5,5,5,5,5,5,5",
    str(KB3),
    "/nonexistent",
]
ARGUMENT = st.one_of(
    st.sampled_from(_command_names()),
    st.sampled_from(OPTIONS),
    st.sampled_from(VALUES),
    st.lists(st.sampled_from(VALUES[:8]), min_size=1, max_size=4).map(",".join),
    # What an argv can hold: no NUL, no surrogates beyond the undecodable bytes.
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20),
)


@pytest.mark.slow
@PROPERTY
@given(use_kb3=st.booleans(), argv=st.lists(ARGUMENT, max_size=8))
def test_any_arguments(use_kb3: bool, argv: list[str]) -> None:
    args = ["--kb", str(KB3), *argv] if use_kb3 else argv
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO("")  # `quiz` must never wait for a keyboard
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(args)
    finally:
        sys.stdin = stdin
    event(f"exit {code}")
    assert code in (0, 1, 2), err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert "internal error" not in err.getvalue()
    if code != 0:
        assert err.getvalue().strip(), "a failure must say why"
        assert out.getvalue() == "", "nothing on stdout on error"


# ---- bytes as a KB file ----------------------------------------------------------------------

VALID_FACTS = (KB3 / "facts" / "survey" / "ds.toml").read_bytes()


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """A valid file with a few bytes flipped, inserted, deleted or cut off."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "splice"]))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif op == "truncate":
            del data[at:]
        elif op == "splice":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b"[[figures]]\n",
                        b'percent = "x"\n',
                        b"=",
                        b'"',
                        b"[",
                        b"]]",
                        b"\n",
                        b"\xff",
                        b"\x00",
                        b"percent = 1e999\n",
                        b"range = {}\n",
                    ]
                )
            )
    return bytes(data)


@pytest.mark.slow
@PROPERTY
@given(data=st.one_of(st.binary(max_size=400), mutated(VALID_FACTS)))
def test_any_bytes_as_a_fact_file(kb_copy: Path, data: bytes) -> None:
    with kb_file(kb_copy / "facts" / "survey" / "ds.toml", data):
        validate_or_refuse(kb_copy)


# ---- TOML documents as KB files --------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def toml_string(text: str) -> str:
    """A TOML basic string: quote and backslash escaped, control characters as \\uXXXX."""
    escaped = (
        f"\\{c}" if c in '"\\' else f"\\u{ord(c):04x}" if c < " " or c == "\x7f" else c
        for c in text
    )
    return '"' + "".join(escaped) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def dumps(doc: dict[str, Any]) -> str:
    """A tiny TOML writer: plain keys first, then [tables], then [[arrays of tables]]."""

    def is_table_array(v: Any) -> bool:
        return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)

    lines = [
        f"{toml_key(k)} = {toml_value(v)}"
        for k, v in doc.items()
        if not isinstance(v, dict) and not is_table_array(v)
    ]
    for k, v in doc.items():
        if isinstance(v, dict):
            lines += [
                "",
                f"[{toml_key(k)}]",
                *(f"{toml_key(a)} = {toml_value(b)}" for a, b in v.items()),
            ]
    for k, v in doc.items():
        if is_table_array(v):
            for table in v:
                lines += [
                    "",
                    f"[[{toml_key(k)}]]",
                    *(f"{toml_key(a)} = {toml_value(b)}" for a, b in table.items()),
                ]
    return "\n".join(lines) + "\n"


KEYS = [
    "id",
    "name",
    "aliases",
    "source",
    "roles",
    "role",
    "figures",
    "statements",
    "ladders",
    "topic",
    "item",
    "percent",
    "money",
    "range",
    "quote",
    "text",
    "terms",
    "weight",
    "steps",
    "titles",
    "level",
    "amount",
    "currency",
    "period",
    "min",
    "max",
    "approximate",
    "reported_by",
    "specializations",
    "leads_to",
    "topics",
    "command",
    "measure",
    "kind",
    "meaning",
    "publisher",
    "title",
    "author",
    "date",
]
WORDS = [
    "survey",
    "ds",
    "mle",
    "de",
    "python",
    "sql",
    "docker",
    "programming-languages",
    "degrees",
    "salary",
    "average-salary",
    "key-differences",
    "skills",
    "skill",
    "tool",
    "USD",
    "EUR",
    "year",
    "month",
    "Data Scientist",
    "data scientist",
    "Python (60%)",
    "",
]
SCALARS = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.integers(-10, 200),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
)
KEY = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=8))
# Any shape at all, kept small: generating big nested documents costs more than validating.
NESTED = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEY, inner, max_size=3)),
    max_leaves=8,
)
ANY_DOCUMENT = st.dictionaries(
    KEY,
    st.one_of(NESTED, st.lists(st.dictionaries(KEY, NESTED, max_size=4), min_size=1, max_size=3)),
    max_size=5,
)
# KB-shaped: the real top-level keys holding records of real field names, so that
# examples get past the TOML and into the models and the cross-file checks.
FIELD = st.one_of(
    SCALARS,
    st.lists(st.one_of(st.sampled_from(WORDS), SCALARS), max_size=3),
    st.dictionaries(st.sampled_from(KEYS), SCALARS, max_size=4),
    st.lists(st.dictionaries(st.sampled_from(KEYS), SCALARS, max_size=3), max_size=2),
)
RECORD = st.dictionaries(st.sampled_from(KEYS), FIELD, max_size=8)
KB_SHAPED = st.dictionaries(
    st.sampled_from(
        ["source", "roles", "role", "figures", "statements", "ladders", "topics", "terms"]
    ),
    st.one_of(
        st.sampled_from(WORDS),
        st.lists(st.sampled_from(WORDS), max_size=3),
        RECORD,
        st.lists(RECORD, min_size=1, max_size=3),
    ),
    max_size=5,
)
DOCUMENT = st.one_of(ANY_DOCUMENT, KB_SHAPED)


@pytest.mark.slow
@pytest.mark.parametrize(
    "rel",
    ["facts/survey/extra.toml", "roles/extra.toml", "vocabulary/extra.toml", "sources/extra.toml"],
)
@PROPERTY
@given(doc=DOCUMENT)
def test_any_toml_document_as_a_kb_file(kb_copy: Path, rel: str, doc: dict[str, Any]) -> None:
    text = dumps(doc)
    assert tomllib.loads(text) == doc, "the test's TOML writer is wrong"
    with kb_file(kb_copy / rel, text.encode()):
        validate_or_refuse(kb_copy)


@settings(max_examples=500, deadline=None)
@given(name=st.text(max_size=30) | st.text(" \t\x1c\u2028\u3000\xa0_-./aAßİ1", max_size=30))
def test_fold_drops_case_whitespace_and_marks_as_its_pattern_says(name: str) -> None:
    """fold() is written without a regular expression, for speed; this is the one it
    stands for: casefolded, with every run of whitespace, _, -, . and / removed."""
    from rolecompare.kb.types import fold

    assert fold(name) == re.sub(r"[\s_\-./]+", "", name.casefold())
