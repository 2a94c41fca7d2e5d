"""Helpers for the HTML report's tests (test_html_report.py, test_browser.py).

expected_figures(kb)   -> what every figure of a KB must show, and in which cell
make_hostile(kb_dir)   -> edit a copy of kb3 so that its text tries to become markup
parse(page)            -> a small tree of the page, to read it without a browser
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from rolecompare.kb.data import KB, origin
from rolecompare.render.format import as_written, money


@dataclass
class Expected:
    """A figure as one role's cell must show it: the row (topic, item, source), the role,
    the texts (e.g. "56.7%", or "$100,000" and "$160,000" for a range) and the quote."""

    topic: str
    item: str
    source: str
    role: str
    texts: list[str]
    quote: str


def expected_figures(kb: KB) -> list[Expected]:
    """Every figure of the KB, for every role it is about, worked out from the KB itself."""
    out = []
    for fig in kb["figures"]:
        quote = origin(fig)
        if fig["percent"] is not None:
            texts = [f"{as_written(fig['percent'], quote)}%"]
        elif fig["count"] is not None:
            texts = [as_written(fig["count"], quote)]
        elif fig["money"] is not None:
            texts = [money(fig["money"]["amount"], fig["money"]["currency"])]
        else:
            r = fig["range"]
            assert r is not None
            texts = [money(r["min"], r["currency"]), money(r["max"], r["currency"])]
        out += [
            Expected(fig["topic"], fig["item"], fig["source"], role, texts, quote)
            for role in fig["roles"]
        ]
    return out


HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_QUOTE = 'Python (60.5%) "><img src=x onerror=alert(1)> for data scientists'
HOSTILE_TEXT = "Analysis \x1b[2J done"
HOSTILE_TEXT_SHOWN = "Analysis \\x1b[2J done"  # as every text format shows it (rolecompare.text)
HOSTILE_CITATION = "</style><script>alert(2)</script>"


def make_hostile(kb_dir: Path) -> None:
    """A role name, a quote, a statement and a source's citation and URL that try to
    become markup (or a terminal command) in a copy of kb3."""

    def edit(rel: str, old: str, new: str) -> None:
        path = kb_dir / rel
        text = path.read_text("utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), "utf-8")

    edit("roles/ds.toml", 'name = "Data Scientist"', f"name = '{HOSTILE_NAME}'")
    edit(
        "facts/survey/ds.toml",
        'quote = "Python (60.5%) for data scientists"',
        f"quote = '{HOSTILE_QUOTE}'",
    )
    edit("facts/survey/ds.toml", 'text = "Analysis"', 'text = "Analysis \\u001b[2J done"')
    edit(
        "sources/survey.toml",
        'title = "A made-up survey for tests"',
        'title = "A made-up survey for tests"\n'
        f"citation = '{HOSTILE_CITATION}'\n"
        'url = "javascript:alert(3)"',
    )


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self, skip: tuple[str, ...] = ()) -> str:
        """The text inside, leaving out elements of the tags in skip."""
        return "".join(
            c if isinstance(c, str) else c.text(skip)
            for c in self.children
            if isinstance(c, str) or c.tag not in skip
        )

    def walk(self) -> list[Node]:
        found = [self]
        for c in self.children:
            if isinstance(c, Node):
                found += c.walk()
        return found

    def find(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.walk()
            if n.tag == tag and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    return builder.root
