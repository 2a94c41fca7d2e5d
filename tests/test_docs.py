"""README.md and docs/ come from the program: this fails when any of them drifts, when a
troubleshooting row names a message rolecompare does not print (or the wrong exit code),
and when a comment cites a README or docs heading that does not exist."""

from __future__ import annotations

import errno
import os
import re
import runpy
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PROBLEMS = tomllib.loads((DOCS / "problems.toml").read_text("utf-8"))["problem"]
PINNED = ROOT / "tests" / "fixtures" / "problem-codes.txt"
# README or a docs/ page, then a heading in double quotes, as the code cites a section
CITED = re.compile(r"\b(README(?:\.md)?|docs/[\w-]+\.md),\s+(?:#\s+)?\"([^\"]+)\"")


def docs_script() -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "scripts" / "docs.py"))


def pinned_pydantic() -> str:
    text = (ROOT / "constraints-dev.txt").read_text("utf-8")
    found = re.search(r"^pydantic==(\S+)$", text, re.MULTILINE)
    assert found, "constraints-dev.txt pins pydantic"
    return found.group(1)


def test_generated_docs_are_current() -> None:
    # docs/kb.schema.json is pydantic's export, which differs between pydantic versions: it
    # is checked (below) on the pinned version, the one scripts/docs.py writes it with.
    stale = [name for name in docs_script()["stale"]() if name != "docs/kb.schema.json"]
    assert stale == [], "stale: run `python3 dev.py python scripts/docs.py`"


def test_the_kb_schema_is_what_the_pinned_pydantic_exports() -> None:
    import pydantic

    if pinned_pydantic() != pydantic.VERSION:
        pytest.skip(
            f"docs/kb.schema.json is written with pydantic {pinned_pydantic()} "
            f"(constraints-dev.txt); this is {pydantic.VERSION}, whose export differs"
        )
    assert "docs/kb.schema.json" not in docs_script()["stale"](), "run scripts/docs.py"


def listed_commands(help_text: str) -> list[str]:
    section = help_text.split("Commands:\n", 1)[1]
    return re.findall(r"^  (\w+)  ", section, re.M)


def test_every_command_has_its_help_and_an_example_in_commands_md(cli: Any) -> None:
    page = (DOCS / "commands.md").read_text("utf-8")
    names = listed_commands(cli("--help")[1])
    names += [f"import {name}" for name in listed_commands(cli("import", "--help")[1])]
    assert {"skills", "fit", "import", "import onet", "import postings"} <= set(names)
    for name in names:
        if name != "import":
            assert f"<!-- generated: {name} --help -->" in page, name
        assert re.search(rf"^\$ rolecompare (--kb \S+ )?{re.escape(name)}\b", page, re.M) or (
            f"`rolecompare {name} " in page
        ), f"no example of {name}"


# ---- troubleshooting: real messages, stable codes


def source_text(origin: str) -> str:
    if origin == "strerror":
        return "\n".join(os.strerror(code) for code in errno.errorcode)
    if origin == "src":
        folder = ROOT / "src" / "rolecompare"
    else:
        module = __import__(origin)
        folder = Path(str(module.__file__)).parent
    suffixes = {".py", ".so"} if origin == "pydantic" else {".py"}
    if origin == "pydantic":  # pydantic's messages are in pydantic_core's compiled module
        import pydantic_core

        folder = Path(pydantic_core.__file__).parent
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace")
        for p in sorted(folder.rglob("*"))
        if p.suffix in suffixes and p.is_file()
    )


def test_every_listed_message_is_one_the_program_prints() -> None:
    texts: dict[str, str] = {}
    for problem in PROBLEMS:
        origin = problem.get("origin", "src")
        text = texts.setdefault(origin, source_text(origin))
        for fragment in problem["find"]:
            assert fragment in text, (problem["code"], fragment, origin)


def test_problem_codes_are_unique_well_formed_and_stable() -> None:
    codes = [p["code"] for p in PROBLEMS]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"RC[1-6]\d\d", c) for c in codes), codes
    assert all(
        set(p) <= {"code", "message", "find", "origin", "exit", "fix", "example", "shows"}
        for p in PROBLEMS
    )
    first_fragment = {p["code"]: p["find"][0].strip() for p in PROBLEMS}
    lines = PINNED.read_text("utf-8").splitlines()
    pinned = [(code, fragment.strip()) for code, fragment in (line.split("\t") for line in lines)]
    assert len(pinned) >= 40
    for code, fragment in pinned:
        # a code keeps its meaning: never renumbered, reused or dropped (add new codes
        # to problems.toml and here, at the end)
        assert first_fragment.get(code) == fragment, code
    assert sorted(first_fragment) == sorted(code for code, _ in pinned), "pin new codes too"


EXAMPLES = [p for p in PROBLEMS if "example" in p]


@pytest.mark.parametrize("problem", EXAMPLES, ids=[p["code"] for p in EXAMPLES])
def test_each_example_prints_its_message_with_its_exit_code(
    problem: dict[str, Any], cli: Any
) -> None:
    code, _, err = cli(*problem["example"])
    assert code == problem["exit"], (problem["example"], err)
    for fragment in problem.get("shows", [f for f in problem["find"] if "{" not in f]):
        assert fragment.strip('"') in err, (fragment, err)
    assert "Traceback" not in err


def test_the_exit_codes_table_gives_every_exit_code() -> None:
    from rolecompare import exitcodes

    page = (DOCS / "troubleshooting.md").read_text("utf-8")
    table = page.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    shown = {int(n) for n in re.findall(r"^\| (\d+) \|", table, re.M)}
    codes = {v for k, v in vars(exitcodes).items() if k.isupper()}
    assert shown == codes | {0}
    assert {p["exit"] for p in PROBLEMS} <= shown


def test_the_troubleshooting_page_says_how_to_see_an_internal_error_whole() -> None:
    page = (DOCS / "troubleshooting.md").read_text("utf-8")
    assert "`ROLECOMPARE_DEBUG=1`" in page
    assert "only the value `1` does this, and only for internal errors" in page


# ---- every cited heading and every link resolves


def headings(path: Path) -> set[str]:
    """A markdown file's headings, as written (markdown escapes removed), outside code."""
    out, fence = set(), False
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and (m := re.match(r"#+ (.+)", line)):
            out.add(m.group(1).replace("\\", "").strip())
    return out


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for a file's headings, and its explicit <a id> anchors."""
    slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings(path)}
    return slugs | set(re.findall(r'<a id="([^"]+)"></a>', path.read_text("utf-8")))


def citations() -> list[tuple[str, str, str]]:
    found = []
    files = [ROOT / "pyproject.toml"]
    for folder in ("src", "scripts", "tests"):
        files += sorted((ROOT / folder).rglob("*.py"))
    for path in files:
        for m in CITED.finditer(path.read_text("utf-8")):
            found.append((str(path.relative_to(ROOT)), m.group(1), m.group(2)))
    return found


def test_every_cited_heading_exists() -> None:
    found = citations()
    assert len(found) >= 10
    for where, page, heading in found:
        path = ROOT / ("README.md" if page.startswith("README") else page)
        assert heading in headings(path), f'{where} cites {page}, "{heading}"'


def test_every_link_in_the_readme_and_docs_resolves() -> None:
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        text = re.sub(r"```.*?```", "", page.read_text("utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            path = (page.parent / file) if file else page
            assert path.exists(), (page.name, target)
            if anchor:
                assert anchor in anchors(path), (page.name, target)


# ---- the benchmark writes its own page


def test_the_benchmark_can_write_its_output_into_the_performance_page() -> None:
    bench = runpy.run_path(str(ROOT / "scripts" / "bench.py"))
    page = (DOCS / "performance.md").read_text("utf-8")
    written = bench["with_output"](page, "$ bench\nall targets met\n")
    before, _, after = page.partition("<!-- bench-output -->\n")
    assert written.startswith(
        before + "<!-- bench-output -->\n```text\n$ bench\nall targets met\n```\n"
    )
    assert written.endswith(after.split("<!-- /bench-output -->", 1)[1])
    assert bench["with_output"](written, "$ bench\nall targets met") == written
    with pytest.raises(bench["Failed"]):
        bench["with_output"]("# no block\n", "x")


def test_the_kb_schema_describes_the_bundled_kb_files() -> None:
    """A light check without a JSON Schema validator: each bundled file's keys are its
    model's properties, and it has every required one."""
    import json

    schema = json.loads((DOCS / "kb.schema.json").read_text("utf-8"))
    models = {"sources": "SourceFile", "roles": "RoleFile", "vocabulary": "VocabularyFile"}
    models["facts"] = "FactFile"
    assert [ref["$ref"] for ref in schema["anyOf"]] == [f"#/$defs/{m}" for m in models.values()]
    checked = 0
    for folder, model in models.items():
        definition = schema["$defs"][model]
        for path in sorted((ROOT / "data" / folder).rglob("*.toml")):
            document = tomllib.loads(path.read_text("utf-8"))
            assert set(document) <= set(definition["properties"]), path
            assert set(definition.get("required", [])) <= set(document), path
            checked += 1
    assert checked >= 10


def test_json_md_names_the_json_version_the_program_writes() -> None:
    from rolecompare.render.json import JSON_VERSION

    text = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    stated = set(re.findall(r'"version": (\d+)', text)) | set(re.findall(r"now (\d+):", text))
    assert stated == {str(JSON_VERSION)}
