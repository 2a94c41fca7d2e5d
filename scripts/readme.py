"""Regenerate the README's generated blocks from the program itself.

    python3 dev.py python scripts/readme.py          # rewrite README.md
    python3 dev.py python scripts/readme.py --check  # exit 1 if README.md is stale

A block is everything between `<!-- generated: ARGS -->` and `<!-- /generated -->`:
ARGS is a rolecompare command line whose output fills the block, or `kb-coverage`
for the table of what the bundled KB holds. A command that fails stops the script,
unless its block says it shows an error: `<!-- generated (error): ARGS -->`.
tests/test_readme.py runs --check.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- generated( \(error\))?: (.+?) -->\n)(.*?)(<!-- /generated -->)", re.S)


class ExampleFailed(Exception):
    """A README example exited non-zero without saying it shows an error."""


WIDTH = "100"


def command_output(args: list[str], error_expected: bool = False) -> str:
    from rolecompare.main import run

    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in ("COLUMNS", "NO_COLOR", "ROLECOMPARE_KB")}
    os.environ.update({"COLUMNS": WIDTH, "NO_COLOR": "1"})
    os.environ.pop("ROLECOMPARE_KB", None)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(args)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    text = (out.getvalue() + err.getvalue()).rstrip()
    lines = "\n".join(line.rstrip() for line in text.splitlines())
    if bool(code) != error_expected:
        raise ExampleFailed(f"rolecompare {shlex.join(args)} exited {code}: {text[-300:]}")
    shown = "$ rolecompare " + shlex.join(args)
    suffix = f"\n(exit {code})" if code else ""
    return f"```text\n{shown}\n{lines}{suffix}\n```\n"


def kb_coverage() -> str:
    from rolecompare.kb.files import bundled_kb
    from rolecompare.kb.load import validate_dir

    kb = validate_dir(bundled_kb())
    sources = [s["id"] for s in kb["sources"]]
    counts: Counter[tuple[str, str, str]] = Counter()
    for kind in ("figures", "statements", "ladders"):
        for fact in kb[kind]:  # type: ignore[literal-required]
            topic = fact.get("topic", "career ladders")
            counts[(topic, fact["source"], kind)] += 1
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


def render(text: str) -> str:
    def fill(match: re.Match[str]) -> str:
        spec = match.group(3).strip()
        body = (
            kb_coverage()
            if spec == "kb-coverage"
            else command_output(shlex.split(spec), error_expected=bool(match.group(2)))
        )
        return match.group(1) + body + match.group(5)

    return BLOCK.sub(fill, text)


def main() -> int:
    current = README.read_text("utf-8")
    fresh = render(current)
    if "--check" in sys.argv[1:]:
        if fresh != current:
            print(
                "README.md is out of date: run `python3 dev.py python scripts/readme.py`",
                file=sys.stderr,
            )
            return 1
        return 0
    README.write_text(fresh, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
