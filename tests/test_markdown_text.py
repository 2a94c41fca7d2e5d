"""Markdown output shows the KB's text as the same characters, never as markup: no raw
HTML, link, image, autolink, emphasis or table cell made from KB text, in `--format
markdown` and in `report --format markdown` (docs/security.md, "Markdown output")."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

PAYLOAD = (
    "<img src=x onerror=alert(1)> [click](javascript:alert(1)) "
    "![t](https://track.example/p.gif) **bold** _em_ `code` ~~gone~~ &amp; a|b "
    "https://evil.example/x www.evil.example mail@evil.example <script>x</script>"
)
LEADING = "1. # - > + starts a block"


def edit(kb: Path, rel: str, old: str, new: str) -> None:
    path = kb / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def hostile(copy_kb: Callable[..., Path]) -> Path:
    kb = copy_kb()
    edit(kb, "facts/survey/ds.toml", 'text = "Analysis"', f'text = "Analysis {PAYLOAD}"')
    edit(
        kb, "vocabulary/vocabulary.toml", 'title = "Programming languages"', f'title = "{LEADING}"'
    )
    edit(kb, "vocabulary/vocabulary.toml", 'name = "Python"', f'name = "Py {PAYLOAD}"')
    edit(kb, "roles/ds.toml", 'name = "Data Scientist"', 'name = "Data *Scientist* <b>x</b>"')
    edit(
        kb, "sources/survey.toml", 'title = "A made-up survey for tests"', f'title = "T {PAYLOAD}"'
    )
    return kb


def rendered(markdown: str) -> str:
    html: str = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    return html


def shown_text(page: str) -> str:
    """What a reader of the rendered page sees: its text, tags dropped, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize(
    "args",
    [["summary"], ["skills"], ["salary"], ["roles"], ["sources"], ["quiz", "--answers", "list"]],
    ids=lambda a: a[0],
)
def test_markdown_shows_kb_text_and_never_makes_markup(
    cli: Any, hostile: Path, args: list[str]
) -> None:
    code, out, err = cli("--kb", hostile, *args, "--format", "markdown")
    assert (code, err) == (0, "")
    page = rendered(out)
    for tag in ("<img", "<script", "<a ", "<strong>", "<code>", "<del>", "<b>"):
        assert tag not in page, (tag, page)
    for bare in ("https://evil", "www.evil", "mail@evil"):
        assert bare not in out, bare
    if args[0] in ("summary", "skills", "sources"):
        assert PAYLOAD in " ".join(shown_text(page).split())


def test_a_table_cell_is_not_split_by_a_bar(cli: Any, hostile: Path) -> None:
    code, out, err = cli("--kb", hostile, "skills", "--format", "markdown")
    assert (code, err) == (0, "")
    header = next(line for line in out.splitlines() if line.startswith("|  |"))
    page = rendered(out)
    cells = re.findall(r"<td>", page.split("Py ", 1)[1].split("</tr>", 1)[0])
    assert len(cells) == header.count(" | ")  # the label's cell and one per column


def test_the_markdown_report_is_never_markup(cli: Any, hostile: Path) -> None:
    code, out, err = cli("--kb", hostile, "report", "--format", "markdown", "--out", "-")
    assert (code, err) == (0, "")
    page = rendered(out).replace("<code>--format json</code>", "", 1)  # the page's own words
    for tag in ("<img", "<script", "<a ", "<strong>", "<code>", "<del>", "<b>"):
        assert tag not in page, tag
    for bare in ("https://evil", "www.evil", "mail@evil"):
        assert bare not in out, bare
    text = " ".join(shown_text(page).split())
    assert PAYLOAD in text
    assert "Data *Scientist* <b>x</b>" in text
    assert LEADING in text  # a title that starts like a list is shown as it is


def test_escaped_text_reads_back_as_itself() -> None:
    from rolecompare.render.markdown import md

    for text in (PAYLOAD, LEADING, "56.7% of $160,000 (2024)", "- a", "12) b", "\\x1b"):
        page = rendered(md(text))
        assert page == f"<p>{html.escape(text, quote=False)}</p>\n", (text, page)
