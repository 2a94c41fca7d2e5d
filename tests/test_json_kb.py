"""KB files in JSON: the same KB as in TOML, read as strictly, and every problem on its line.

The kb3 fixture is converted file by file (json.dumps with an indent, as a person might
write it); each broken case edits one file and says what `validate` must print.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rolecompare.errors import DATA_ERROR
from rolecompare.kb import jsontext
from rolecompare.kb.load import validate_dir

KB3 = Path(__file__).resolve().parent / "fixtures" / "kb3"
DS = "facts/survey/ds.json"


def to_json(kb: Path, rel: str) -> Path:
    """Convert one TOML file of a KB to JSON in place (the .toml is removed)."""
    toml = kb / rel
    doc = tomllib.loads(toml.read_text("utf-8"))
    target = toml.with_suffix(".json")
    target.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")
    toml.unlink()
    return target


def json_copy(copy_kb: Callable[..., Path], only: str | None = None) -> Path:
    kb = copy_kb()
    for path in sorted(kb.rglob("*.toml")):
        rel = path.relative_to(kb).as_posix()
        if only is None or rel == only:
            to_json(kb, rel)
    return kb


def edit(kb: Path, rel: str, old: str, new: str, nth: int = 0) -> int:
    """Replace the nth occurrence of old in kb/rel by new; return the line it was on."""
    path = kb / rel
    text = path.read_text("utf-8")
    start = [m.start() for m in re.finditer(re.escape(old), text)][nth]
    path.write_text(text[:start] + new + text[start + len(old) :], "utf-8")
    return text.count("\n", 0, start) + 1


def problems(cli: Any, kb: Path) -> list[str]:
    """What `validate` prints, one problem a line, having checked the failure contract."""
    code, out, err = cli("validate", kb)
    assert (code, out) == (DATA_ERROR, ""), err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert all(line.startswith("rolecompare: ") for line in lines), err
    return [line.removeprefix("rolecompare: ") for line in lines]


# ---------------------------------------------------------------- the same KB


def test_kb3_in_json_is_the_same_kb(cli: Any, copy_kb: Callable[..., Path]) -> None:
    kb = json_copy(copy_kb)
    assert sorted(p.suffix for p in kb.rglob("*.*")) == [".json"] * 8
    assert validate_dir(kb) == validate_dir(KB3)
    for command in ("skills", "salary", "path", "summary"):
        assert cli("--kb", kb, command) == cli("--kb", KB3, command)
    assert cli("validate", kb)[0] == 0


def test_a_kb_may_mix_toml_and_json(copy_kb: Callable[..., Path]) -> None:
    kb = json_copy(copy_kb, only=DS.replace(".json", ".toml"))
    assert (kb / DS).exists()
    assert (kb / "facts" / "survey" / "mle.toml").exists()
    assert validate_dir(kb) == validate_dir(KB3)


def test_the_same_role_in_toml_and_in_json_is_defined_twice(
    cli: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = copy_kb()
    (kb / "roles" / "ds.json").write_text(
        json.dumps({"role": {"id": "ds", "name": "Data Scientist II"}}, indent=2), "utf-8"
    )
    assert problems(cli, kb) == [
        "kb/roles/ds.toml:2: role.id: role 'ds' is already defined in kb/roles/ds.json"
    ]


def test_a_json_file_outside_the_kb_folders_is_a_stray(
    cli: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = json_copy(copy_kb)
    (kb / "notes.json").write_text("{}", "utf-8")
    assert problems(cli, kb) == [
        "kb/notes.json: KB files go in one of sources, roles, vocabulary, facts/"
    ]


def test_an_empty_folder_names_both_syntaxes(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _out, err = cli("validate", tmp_path / "empty")
    assert code == DATA_ERROR
    assert err.endswith(
        "no KB files (expected sources, roles, vocabulary, facts/*.toml or *.json)\n"
    )


def test_a_byte_order_mark_is_accepted(cli: Any, copy_kb: Callable[..., Path]) -> None:
    kb = json_copy(copy_kb)
    path = kb / DS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert validate_dir(kb) == validate_dir(KB3)


# ---------------------------------------------------------------- broken files, each on its line


def missing_comma(kb: Path) -> list[str]:
    line = edit(kb, DS, '"item": "python",', '"item": "python"')
    return [f"kb/{DS}:{line + 1}: not valid JSON: expecting ',' delimiter"]


def truncated(kb: Path) -> list[str]:
    text = (kb / DS).read_text("utf-8")
    cut = text[: text.index('"programming-languages"') + 6]
    (kb / DS).write_text(cut, "utf-8")
    return [f"kb/{DS}:{cut.count(chr(10)) + 1}: not valid JSON: unterminated string"]


def trailing_comma(kb: Path) -> list[str]:
    line = edit(kb, DS, '"roles": [\n    "ds"\n  ]', '"roles": [\n    "ds",\n  ]')
    return [f"kb/{DS}:{line + 2}: not valid JSON: expecting value"]


def not_utf8(kb: Path) -> list[str]:
    (kb / DS).write_bytes(b'{\n  "source": "survey",\n  "roles": ["\xff"]\n}\n')
    return [f"kb/{DS}:3: not UTF-8 text"]


def duplicate_key(kb: Path) -> list[str]:
    line = edit(kb, DS, '"percent": 40,', '"percent": 40,\n      "percent": 4,')
    return [
        f"kb/{DS}:{line + 1}: figures[1].percent: "
        "duplicate key 'percent'; a KB file gives a key once"
    ]


def duplicate_key_written_differently(kb: Path) -> list[str]:
    """ "\\u0073ource" is "source": the same key, however it is written."""
    line = edit(kb, DS, '"roles": [', '"\\u0073ource": "nosuch",\n  "roles": [')
    return [f"kb/{DS}:{line}: source: duplicate key 'source'; a KB file gives a key once"]


def not_a_number(kb: Path) -> list[str]:
    line = edit(kb, DS, '"percent": 60.5', '"percent": NaN')
    return [f"kb/{DS}:{line}: figures[0].percent: not valid JSON: NaN is not a finite number"]


def infinity(kb: Path) -> list[str]:
    line = edit(kb, DS, '"weight": 1.0', '"weight": -Infinity')
    return [
        f"kb/{DS}:{line}: statements[1].weight: not valid JSON: -Infinity is not a finite number"
    ]


def overflowing_number(kb: Path) -> list[str]:
    line = edit(kb, DS, '"amount": 120000', '"amount": 1e999')
    return [
        f"kb/{DS}:{line}: figures[3].money.amount: not valid JSON: 1e999 is not a finite number"
    ]


def huge_integer(kb: Path) -> list[str]:
    line = edit(kb, DS, '"percent": 40', '"percent": ' + "9" * 5000)
    return [f"kb/{DS}:{line}: figures[1].percent: not valid JSON: a number has too many digits"]


def nested_too_deeply(kb: Path) -> list[str]:
    (kb / "facts" / "survey" / "deep.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    return ["kb/facts/survey/deep.json: not valid JSON: nested too deeply"]


def deep_and_wide(kb: Path) -> list[str]:
    """Nested 400 deep around 200,000 numbers: placed with a bounded path per number."""
    inner = "[" * 400 + ",".join(["1"] * 200_000) + "]" * 400
    (kb / "facts" / "survey" / "deep.json").write_text(
        f'{{"source": "survey", "roles": ["ds"],\n"figures": [\n{inner}\n]}}\n', "utf-8"
    )
    return [
        "kb/facts/survey/deep.json:3: figures[0]: "
        "input should be a valid dictionary or instance of Figure"
    ]


def wrong_type(kb: Path) -> list[str]:
    line = edit(kb, DS, '"percent": 60.5', '"percent": "high"')
    return [f"kb/{DS}:{line}: figures[0].percent: input should be a valid number"]


def above_100(kb: Path) -> list[str]:
    line = edit(kb, DS, '"percent": 40', '"percent": 156.7')
    return [f"kb/{DS}:{line}: figures[1].percent: input should be less than or equal to 100"]


def unknown_field(kb: Path) -> list[str]:
    line = edit(kb, DS, '"percent": 30,', '"percent": 30,\n      "colour": "red",')
    return [f"kb/{DS}:{line + 1}: figures[2].colour: unknown field"]


def escaped_unknown_key(kb: Path) -> list[str]:
    """A key is placed by what it says, not how it is written; shown as one safe line."""
    line = edit(kb, DS, '"source": "survey",', '"source": "survey",\n  "red\\u001b[31m\\nkey": 1,')
    return [f'kb/{DS}:{line + 1}: "red\\u001b[31m\\u000akey": unknown field']


def line_of(kb: Path, rel: str, needle: str) -> int:
    text = (kb / rel).read_text("utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


def missing_field(kb: Path) -> list[str]:
    edit(kb, DS, '"item": "degree-statistics",\n', "")
    line = line_of(kb, DS, '"topic": "degrees"') - 1  # the line of the figure's "{"
    return [f"kb/{DS}:{line}: figures[2].item: required field is missing"]


def two_values(kb: Path) -> list[str]:
    edit(kb, DS, '"percent": 30,', '"percent": 30,\n      "count": 3,')
    line = line_of(kb, DS, '"topic": "degrees"') - 1
    return [
        f"kb/{DS}:{line}: figures[2]: give exactly one of "
        "percent, money, range, count, share or pay"
    ]


def unknown_role(kb: Path) -> list[str]:
    line = edit(kb, DS, '"ds"\n  ]', '"ds",\n    "cto"\n  ]')
    return [f"kb/{DS}:{line + 1}: roles[1]: unknown role 'cto'; known: de, ds, mle"]


def unknown_topic(kb: Path) -> list[str]:
    line = edit(kb, DS, '"topic": "degrees"', '"topic": "hobbies"')
    return [
        f"kb/{DS}:{line}: figures[2].topic: unknown topic 'hobbies'; known: cloud, degrees, "
        "key-differences, programming-languages, responsibilities, right-for-you, salary"
    ]


def not_an_object(kb: Path) -> list[str]:
    (kb / DS).write_text('["survey", "ds"]\n', "utf-8")
    return [f"kb/{DS}: input should be a valid dictionary or instance of FactFile"]


BROKEN = [
    pytest.param(f, id=f.__name__.replace("_", "-"))
    for f in (
        missing_comma,
        truncated,
        trailing_comma,
        not_utf8,
        duplicate_key,
        duplicate_key_written_differently,
        not_a_number,
        infinity,
        overflowing_number,
        huge_integer,
        nested_too_deeply,
        deep_and_wide,
        wrong_type,
        above_100,
        unknown_field,
        escaped_unknown_key,
        missing_field,
        two_values,
        unknown_role,
        unknown_topic,
        not_an_object,
    )
]


@pytest.mark.parametrize("break_kb", BROKEN)
def test_a_broken_json_file_is_one_problem_on_its_line(
    cli: Any, copy_kb: Callable[..., Path], break_kb: Callable[[Path], list[str]]
) -> None:
    kb = json_copy(copy_kb)
    expected = break_kb(kb)
    assert problems(cli, kb) == expected


# ---------------------------------------------------------------- the line finder


def test_lines_of_keys_and_elements_in_any_layout() -> None:
    text = '{"a": [1,\n 2, {"b":\n  3}],\n "c\\"d": {"e": [[], [\n true]]}}'
    lines = jsontext.JsonLines(text)
    assert lines.locate(("a",)) == 1
    assert lines.locate(("a", 0)) == 1
    assert lines.locate(("a", 1)) == 2
    assert lines.locate(("a", 2, "b")) == 2
    assert lines.locate(("a", 2, "b", "deeper")) == 2  # the longest prefix it has
    assert lines.locate(('c"d', "e", 1, 0)) == 5
    assert lines.locate(("nowhere",)) is None
    assert lines.locate(()) is None
    assert lines.refused is None


def test_many_problems_in_one_file_are_each_placed(cli: Any, copy_kb: Callable[..., Path]) -> None:
    kb = json_copy(copy_kb)
    figure = {"topic": "programming-languages", "item": "x", "percent": 101, "quote": "q"}
    lines = ",\n".join(json.dumps({**figure, "item": f"x{i}"}) for i in range(3000))
    (kb / "facts" / "survey" / "many.json").write_text(
        f'{{"source": "survey", "roles": ["ds"],\n"figures": [\n{lines}\n]}}\n', "utf-8"
    )
    found = problems(cli, kb)
    assert len(found) == 51  # 50 shown, then how many more
    assert found[0] == (
        "kb/facts/survey/many.json:3: figures[0].percent: input should be less than or equal to 100"
    )
    assert found[49].startswith("kb/facts/survey/many.json:52: figures[49].percent:")
    assert found[50] == "and 2,950 more problems"


# ---------------------------------------------------------------- completion


def complete(run_subprocess: Any, words: str) -> list[str]:
    done = run_subprocess(
        env={
            "_ROLECOMPARE_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        },
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return list(done.stdout.splitlines())


def test_completion_reads_json_role_and_vocabulary_files(
    run_subprocess: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = json_copy(copy_kb)
    os.mkfifo(kb / "roles" / "aaa.json")  # read as the loader reads: never waited on
    (kb / "roles" / "big.json").write_text('{"role": {"id": "big"' + " " * 70_000 + "}}")
    assert complete(run_subprocess, f"rolecompare --kb {kb} skills --roles ") == ["de", "ds", "mle"]
    for words in ("fit --have ", "fit --have py", "fit --have python,s"):
        from_json = complete(run_subprocess, f"rolecompare --kb {kb} {words}")
        assert from_json == complete(run_subprocess, f"rolecompare --kb {KB3} {words}")
        assert from_json
