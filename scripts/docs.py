"""Regenerate README.md and docs/ from the program itself, or check that they are current.

    python3 dev.py python scripts/docs.py          # rewrite README.md, docs/*.md, kb.schema.json
    python3 dev.py python scripts/docs.py --check  # exit 1, naming each stale file

In README.md and docs/*.md a generated block is everything between
`<!-- generated: SPEC -->` and `<!-- /generated -->`. SPEC is a rolecompare command line
whose output fills the block, or one of:

    kb-coverage           the table of what the bundled KB holds
    troubleshooting       the table of docs/problems.toml, with each problem's code
    json-shape ARGS       the shape of `rolecompare ARGS --format json`: every key, its type
                          (several command lines, joined by ` ; `, merge into one shape)

Flags go in brackets before the colon, comma-separated: `(error)` for a command that must
fail (any other failure stops the script), `(head N)` to show only the first N lines of
its output, marked as cut. docs/kb.schema.json is the JSON Schema of the KB's pydantic
models. tests/test_docs.py fails when any of these is stale.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [
    README,
    *(
        DOCS / name
        for name in (
            "commands.md",
            "json.md",
            "troubleshooting.md",
            "security.md",
            "performance.md",
            "development.md",
        )
    ),
]
SCHEMA = DOCS / "kb.schema.json"
PROBLEMS = DOCS / "problems.toml"
BLOCK = re.compile(
    r"(<!-- generated(?: \(([a-z0-9 ,]+)\))?: (.+?) -->\n)(.*?)(<!-- /generated -->)", re.S
)
WIDTH = "100"


class ExampleFailed(Exception):
    """An example exited non-zero without saying it shows an error (or the reverse)."""


def run_command(args: list[str]) -> tuple[int, str, str]:
    """rolecompare ARGS in-process at 100 columns, no colour, on the bundled KB, in the
    repository folder."""
    from rolecompare.main import run

    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in ("COLUMNS", "NO_COLOR", "ROLECOMPARE_KB")}
    os.environ.update({"COLUMNS": WIDTH, "NO_COLOR": "1"})
    os.environ.pop("ROLECOMPARE_KB", None)
    try:
        # examples name files as the repository holds them
        with (
            contextlib.chdir(ROOT),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = run(args)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return code, out.getvalue(), err.getvalue()


def command_output(args: list[str], error_expected: bool = False, head: int = 0) -> str:
    code, out, err = run_command(args)
    text = (out + err).rstrip()
    lines = [line.rstrip() for line in text.splitlines()]
    if bool(code) != error_expected:
        raise ExampleFailed(f"rolecompare {shlex.join(args)} exited {code}: {text[-300:]}")
    if head and len(lines) > head:
        lines = [*lines[:head], f"… ({len(lines) - head} more lines)"]
    shown = "$ rolecompare " + shlex.join(args)
    suffix = f"\n(exit {code})" if code else ""
    return f"```text\n{shown}\n" + "\n".join(lines) + f"{suffix}\n```\n"


def kb_coverage() -> str:
    from rolecompare.kb.files import bundled_kb
    from rolecompare.kb.load import validate_dir

    kb = validate_dir(bundled_kb())
    sources = [s["id"] for s in kb["sources"]]
    counts: Counter[tuple[str, str, str]] = Counter()
    groups: dict[str, list[Any]] = {
        "figures": kb["figures"],
        "statements": kb["statements"],
        "ladders": kb["ladders"],
    }
    for kind, facts in groups.items():
        for fact in facts:
            topic = str(fact.get("topic", "career ladders"))
            counts[(topic, str(fact["source"]), kind)] += 1
    topics = [t["id"] for t in kb["topics"]] + ["career ladders"]
    titles = {t["id"]: f"{t['title']} (`{t['command']}`)" for t in kb["topics"]}
    titles["career ladders"] = "Career ladders (`path`)"
    lines = ["| Topic | " + " | ".join(sources) + " |", "|---" * (len(sources) + 1) + "|"]
    for topic in topics:
        cells = []
        for source in sources:
            parts = [
                f"{counts[(topic, source, k)]} {k}"
                for k in ("figures", "statements", "ladders")
                if counts[(topic, source, k)]
            ]
            cells.append(", ".join(parts) or "—")
        if any(c != "—" for c in cells):
            lines.append(f"| {titles[topic]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def problems() -> list[dict[str, Any]]:
    """docs/problems.toml: every problem troubleshooting.md lists, with its code."""
    with PROBLEMS.open("rb") as f:
        return list(tomllib.load(f)["problem"])


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def troubleshooting() -> str:
    lines = ["| Code | Message | Exit | What to do |", "|---|---|---|---|"]
    for p in problems():
        lines.append(
            f'| <a id="{p["code"].lower()}"></a>{p["code"]} | `{cell(p["message"])}` '
            f"| {p['exit']} | {cell(p['fix'])} |"
        )
    return "\n".join(lines) + "\n"


# ---- the shape of a JSON document: each key once, with the types its values take


class Shape:
    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.keys: dict[str, Shape] = {}
        self.items: Shape | None = None

    def add(self, value: Any) -> None:
        if isinstance(value, dict):
            self.kinds.add("object")
            for key, item in value.items():
                self.keys.setdefault(key, Shape()).add(item)
        elif isinstance(value, list):
            self.kinds.add("array")
            self.items = self.items or Shape()
            for item in value:
                self.items.add(item)
        else:
            names = {bool: "boolean", str: "string", int: "number", float: "number"}
            self.kinds.add("null" if value is None else names[type(value)])

    def lines(self, indent: str, roles: set[str]) -> list[str]:
        """This shape as lines: an object's keys one a line (a map keyed by role ids shows
        one `<role id>` key), a list as its items' shape in brackets."""
        scalars = sorted(self.kinds - {"object", "array"})
        out: list[str] = []
        if "object" in self.kinds:
            keys = dict(self.keys)
            if keys and set(keys) <= roles:
                merged = Shape()
                for shape in keys.values():
                    merged.merge(shape)
                keys = {"<role id>": merged}
            if not keys:
                out.append("{}")
            else:
                out.append("{")
                for key, shape in keys.items():
                    inner = shape.lines(indent + "  ", roles)
                    out.append(f"{indent}  {json.dumps(key)}: {inner[0]}")
                    out.extend(inner[1:])
                out.append(indent + "}")
        if "array" in self.kinds:
            items = self.items.lines(indent, roles) if self.items and self.items.kinds else ["…"]
            out.append(f"[{items[0]}")
            out.extend(items[1:])
            out[-1] += "]"
        if out and scalars:
            out[-1] += " | " + " | ".join(scalars)
        return out or [" | ".join(scalars)]

    def merge(self, other: Shape) -> None:
        self.kinds |= other.kinds
        for key, shape in other.keys.items():
            self.keys.setdefault(key, Shape()).merge(shape)
        if other.items is not None:
            self.items = self.items or Shape()
            self.items.merge(other.items)


def json_shape(commands: list[list[str]]) -> str:
    """The shape of the JSON that each command line prints, merged (the keys of all, the
    types each key takes in any of them)."""
    shape, roles, shown = Shape(), set(), []
    for args in commands:
        args = [*args, "--format", "json"]
        code, out, err = run_command(args)
        if code:
            raise ExampleFailed(f"rolecompare {shlex.join(args)} exited {code}: {err}")
        document = json.loads(out)
        roles |= {r["id"] for r in document.get("roles", []) if isinstance(r, dict) and "id" in r}
        shape.add(document)
        shown.append("$ rolecompare " + shlex.join(args))
    return "```text\n" + "\n".join([*shown, *shape.lines("", roles)]) + "\n```\n"


def block(flags: str, spec: str) -> str:
    options = {f.strip().split(" ")[0]: f.strip() for f in flags.split(",") if f.strip()}
    if spec == "kb-coverage":
        return kb_coverage()
    if spec == "troubleshooting":
        return troubleshooting()
    words = shlex.split(spec)
    if words[0] == "json-shape":
        commands = " ".join(words[1:]).split(" ; ")
        return json_shape([shlex.split(c) for c in commands])
    head = int(options["head"].split()[1]) if "head" in options else 0
    return command_output(words, error_expected="error" in options, head=head)


def render(text: str) -> str:
    def fill(match: re.Match[str]) -> str:
        return match.group(1) + block(match.group(2) or "", match.group(3).strip()) + match.group(5)

    return BLOCK.sub(fill, text)


def kb_schema() -> str:
    """The JSON Schema of every KB file, from the models that validate them."""
    from pydantic.json_schema import models_json_schema

    from rolecompare.kb.check import model_for
    from rolecompare.kb.files import FOLDERS

    models = [model_for(folder) for folder in FOLDERS]
    _, schema = models_json_schema(
        [(m, "validation") for m in models],
        title="rolecompare KB file",
        description="One file of a rolecompare knowledge base (TOML or JSON). A file in "
        + ", ".join(
            f"{folder}/ is a {m.__name__}" for folder, m in zip(FOLDERS, models, strict=True)
        )
        + ". Generated by scripts/docs.py from rolecompare.kb.schema; see docs/json.md.",
    )
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "anyOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in models],
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def fresh() -> dict[Path, str]:
    """Every generated file as the program would write it now."""
    out = {page: render(page.read_text("utf-8")) for page in PAGES}
    out[SCHEMA] = kb_schema()
    return out


def stale() -> list[str]:
    """The generated files that differ from what the program writes now."""
    return [
        str(path.relative_to(ROOT))
        for path, text in fresh().items()
        if not path.is_file() or path.read_text("utf-8") != text
    ]


def main() -> int:
    if "--check" in sys.argv[1:]:
        names = stale()
        for name in names:
            print(
                f"{name} is out of date: run `python3 dev.py python scripts/docs.py`",
                file=sys.stderr,
            )
        return 1 if names else 0
    for path, text in fresh().items():
        if not path.is_file() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
