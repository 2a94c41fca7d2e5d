"""Helpers for the HTML report's tests (test_html_report.py, test_browser.py).

expected_figures(kb)   -> what every figure of a KB must show, and in which cell
report_figures(report) -> every figure's number in a comparison, as its quote writes it
make_hostile(kb_dir)   -> edit a copy of kb3 so that its text tries to become markup
parse(page)            -> a small tree of the page, to read it without a browser
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from rolecompare.compare.report import Report
from rolecompare.kb.types import KB, origin

# The tests' own reading of a quote, not the product's formatter: a figure shows its
# number with the digits its quote writes ("33.0", "1,250"), next to its unit's sign.
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
SIGNS = {"USD": "$"}  # every currency the tests' KBs use


def written(value: float, quote: str, unit: str) -> str:
    """value's digits as quote writes them beside unit ("%", a currency code, or "" for a
    count)."""
    same = [m for m in NUMBER.finditer(quote) if float(m.group().replace(",", "")) == value]
    sign = "%" if unit in {"%", ""} else SIGNS[unit]
    beside = [
        m
        for m in same
        if unit
        and (
            quote[m.end() :].lstrip().startswith(sign if unit == "%" else unit)
            or quote[: m.start()].rstrip().endswith(sign)
        )
    ]
    found = beside or same
    assert found, f"the test KB's quote does not state {value}: {quote!r}"
    return found[0].group()


def money(amount: float, currency: str, quote: str) -> str:
    return f"{SIGNS[currency]}{written(amount, quote, currency)}"


def share(k: int, n: int) -> str:
    """A counted share as a reader checks it: k of n in percent, half up to one decimal."""
    from decimal import ROUND_HALF_UP, Decimal

    return f"{(Decimal(k) * 100 / Decimal(n)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def amount(value: float, currency: str) -> str:
    """Counted pay as a reader writes it: "$156,725", "$145,282.5"."""
    text = f"{int(value):,}" if value == int(value) else f"{value:,}"
    return f"{SIGNS[currency]}{text}"


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


def report_figures(report: Report) -> list[str]:
    """Each figure's number as its quote writes it ("56.7%", "$160,000"), worked out from
    the cell's value and quote, not by the product's formatter."""
    found = []
    for section in report.sections:
        for row in section.rows:
            for cell in row.cells.values():
                if cell.value is None or not cell.quotes:
                    continue
                assert row.unit is not None
                if cell.k is not None and cell.n is not None:  # a counted share
                    found.append(share(cell.k, cell.n))
                elif cell.percentiles is not None:  # counted pay: its median
                    found.append(amount(cell.value, row.unit.split("/")[0]))
                elif row.unit == "percent":
                    found.append(written(cell.value, cell.quotes[0], "%") + "%")
                elif "/" in row.unit:  # money a period: "USD/year"
                    found.append(money(cell.value, row.unit.split("/")[0], cell.quotes[0]))
                else:
                    found.append(written(cell.value, cell.quotes[0], ""))
    return found


def expected_figures(kb: KB) -> list[Expected]:
    """Every figure of the KB, for every role it is about, worked out from the KB itself."""
    out = []
    for fig in kb["figures"]:
        quote = origin(fig)
        if fig["share"] is not None:
            texts = [share(fig["share"]["k"], fig["share"]["n"])]
        elif fig["pay"] is not None:
            texts = [amount(fig["pay"]["median"], fig["pay"]["currency"])]
        elif fig["percent"] is not None:
            texts = [f"{written(fig['percent'], quote, '%')}%"]
        elif fig["count"] is not None:
            texts = [written(fig["count"], quote, "")]
        elif fig["money"] is not None:
            texts = [money(fig["money"]["amount"], fig["money"]["currency"], quote)]
        else:
            r = fig["range"]
            assert r is not None
            texts = [money(r["min"], r["currency"], quote), money(r["max"], r["currency"], quote)]
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
