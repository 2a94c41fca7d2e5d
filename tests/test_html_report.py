"""The one-page report (compare/report_page.py, drawn by render/html.py) read without a
browser: every figure at its role, every quote on the page, nothing from the KB as markup,
nothing loaded from elsewhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pagecheck import (
    HOSTILE_CITATION,
    HOSTILE_NAME,
    HOSTILE_QUOTE,
    HOSTILE_TEXT_SHOWN,
    Node,
    expected_figures,
    make_hostile,
    parse,
)
from rolecompare import __version__
from rolecompare.compare.report_page import TOPICS, report_page, version_text
from rolecompare.compare.roles import select_roles
from rolecompare.kb.load import load_kb, open_kb
from rolecompare.kb.types import KB
from rolecompare.render.html import build_report_html
from rolecompare.render.markdown import page_markdown

CopyKB = Callable[..., Path]


def build(kb: KB, roles: str | None = None) -> str:
    page = report_page(kb, select_roles(kb["roles"], roles), version="rolecompare test")
    return build_report_html(page)


@pytest.fixture(scope="module")
def bundled() -> tuple[KB, str]:
    kb = load_kb(None)
    return kb, build(kb)


def cells(tree: Node) -> dict[tuple[str, str, str, str], Node]:
    """(topic, item, source, role) -> that role's cell, for every figure row of the page."""
    found = {}
    for table in tree.find("table"):
        topic = table.attrs.get("data-topic") or ""
        for tr in table.find("tr"):
            item, source = tr.attrs.get("data-item"), tr.attrs.get("data-source")
            for td in tr.find("td"):
                role = td.attrs.get("data-role")
                if item and source and role:
                    key = (topic, item, source, role)
                    assert key not in found, f"two cells for {key}"
                    found[key] = td
    return found


def test_report_page_has_every_topic_in_order() -> None:
    kb = load_kb(None)
    reports = report_page(kb, kb["roles"]).reports
    # Every topic, then, for two roles, the plan for moving from the first to the second.
    assert [r.command for r in reports] == [*TOPICS, "plan"]
    assert [r.title for r in reports] == [
        "Skills in job postings",
        "Tools and technologies",
        "Education",
        "Salary",
        "Career paths",
        "Key differences",
        "The work itself",
        "Plan: from Data Scientist to Machine Learning Engineer",
    ]


def test_every_figure_shows_at_its_role_with_its_quote(bundled: tuple[KB, str]) -> None:
    kb, page = bundled
    by_cell = cells(parse(page))
    expected = expected_figures(kb)
    assert len(expected) > 20  # the bundled KB's figures, not an empty list
    for want in expected:
        td = by_cell[(want.topic, want.item, want.source, want.role)]
        shown = td.text(skip=("details",))  # what shows with every quote closed
        for text in want.texts:
            assert text in shown, (want, shown)
        quoted = " ".join(d.text() for d in td.find("details"))
        assert want.quote in quoted, (want, quoted)


def test_every_section_and_statement_is_on_the_page(bundled: tuple[KB, str]) -> None:
    kb, page = bundled
    text = parse(page).text()
    for statement in kb["statements"]:
        if any(t["id"] == statement["topic"] and t["command"] in TOPICS for t in kb["topics"]):
            assert statement["text"] in text
    for report in report_page(kb, kb["roles"]).reports:
        assert report.title in text
        for section in report.sections:
            assert section.title in text


def test_not_reported_differs_from_a_zero_bar(bundled: tuple[KB, str]) -> None:
    _, page = bundled
    tree = parse(page)
    empty = [
        td for td in tree.find("td") if td.attrs.get("data-role") and "not reported" in td.text()
    ]
    assert empty, "the bundled KB has figures one role does not report"
    for td in empty:
        if td.find("span", **{"class": "track none"}):
            assert not td.find("span", **{"class": "fill"})
    fills = tree.find("span", **{"class": "fill"})
    assert fills
    assert all(re.fullmatch(r"width:[0-9.]+%", f.attrs["style"] or "") for f in fills)


def test_sources_carry_their_credit_and_the_version(copy_kb: CopyKB) -> None:
    kb_dir = copy_kb()
    source = kb_dir / "sources" / "survey.toml"
    source.write_text(
        source.read_text("utf-8") + 'citation = "Example (2025). Cite us."\n'
        'credit = "Data © Example, CC BY 4.0"\nurl = "https://example.org/s"\n',
        "utf-8",
    )
    kb = load_kb(str(kb_dir))
    version = version_text(open_kb(str(kb_dir)))
    assert version.startswith(f'rolecompare {__version__}; knowledge base "kb"')
    page = build_report_html(report_page(kb, kb["roles"], version=version))
    li = parse(page).find("li", id="src-survey")[0]
    text = li.text()
    for want in (
        "Example Survey",
        "Example (2025). Cite us.",
        "Data © Example, CC BY 4.0",
        "https://example.org/s",
        "Invented numbers",
    ):
        assert want in text
    assert li.find("a", href="https://example.org/s")
    assert f"Made with {version}." in parse(page).text()
    source.write_text(source.read_text("utf-8").replace("Cite us", "Cite them"), "utf-8")
    assert version_text(open_kb(str(kb_dir))) != version  # the digest follows the KB


def test_hostile_kb_text_stays_text(copy_kb: CopyKB) -> None:
    kb_dir = copy_kb()
    make_hostile(kb_dir)
    kb = load_kb(str(kb_dir))
    page = build(kb)
    tree = parse(page)
    tags = [n.tag for n in tree.walk()]
    assert "img" not in tags
    scripts = tree.find("script")
    assert len(scripts) == 1
    assert "alert" not in scripts[0].text()
    assert all(not k.startswith("on") for n in tree.walk() for k in n.attrs)
    assert "\x1b" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    text = tree.text()
    for hostile in (HOSTILE_NAME, HOSTILE_QUOTE, HOSTILE_CITATION, HOSTILE_TEXT_SHOWN):
        assert hostile in text
    assert "javascript:" not in " ".join(str(v) for n in tree.walk() for v in n.attrs.values())
    assert len(tree.find("style")) == 1
    assert "alert" not in tree.find("style")[0].text()


# Attributes that make a browser fetch something.
FETCHING = {
    "src",
    "srcset",
    "href",
    "poster",
    "data",
    "action",
    "formaction",
    "background",
    "xlink:href",
    "manifest",
    "ping",
    "imagesrcset",
}


def test_page_loads_nothing_from_elsewhere(bundled: tuple[KB, str]) -> None:
    _, page = bundled
    tree = parse(page)
    for node in tree.walk():
        for name, value in node.attrs.items():
            if name not in FETCHING or value is None:
                continue
            if node.tag == "a" and name == "href":
                assert value.startswith(("#", "https://", "http://")), value
            else:
                assert value.startswith(("#", "data:")), (node.tag, name, value)
    style = tree.find("style")[0].text()
    assert "url(" not in style
    assert "@import" not in style
    assert all("src" not in s.attrs for s in tree.find("script"))
    assert not [
        n
        for n in tree.walk()
        if n.tag in {"img", "iframe", "object", "embed", "video", "audio", "source", "link"}
        and not (n.tag == "link" and n.attrs.get("href") == "data:,")
    ]


def test_bundled_page_is_small(bundled: tuple[KB, str]) -> None:
    _, page = bundled
    # Each of the article's contradictions is shown, with its verbatim passages, beside
    # every row that quotes them (summary's too), and the three counted posting analyses
    # add 42 figures: 300 kB before both.
    assert len(page.encode("utf-8")) < 380_000


def test_markdown_document_has_every_topic_and_the_sources() -> None:
    kb = load_kb(None)
    page = report_page(kb, kb["roles"], version="rolecompare test")
    reports = page.reports
    doc = page_markdown(page)
    assert doc.startswith("# Data Scientist vs Machine Learning Engineer\n")
    lines = doc.splitlines()
    for report in reports:  # every topic, and every figure as its quote writes it
        assert f"## {report.title}" in lines
    for want in expected_figures(kb):
        for text in want.texts:
            assert text in doc, (want.item, text)
    assert "## Sources" in doc
    assert "Made with rolecompare test." in doc
    assert "Sophie Magnet" in doc


@pytest.mark.parametrize(
    ("args", "written", "head"),
    [
        ([], "rolecompare-report.html", "<!doctype html>"),
        (["--format", "markdown"], "rolecompare-report.md", "# Data Scientist vs"),
        (["-f", "md", "-o", "mine.txt"], "mine.txt", "# Data Scientist vs"),
    ],
)
def test_report_file_is_named_for_its_format(
    cli: Any, args: list[str], written: str, head: str
) -> None:
    """Without --out, the markdown report goes to a .md file, not into the .html name."""
    code, out, err = cli("report", *args)
    assert (code, out) == (0, "")
    assert err.startswith(f"wrote {written} (")
    assert sorted(p.name for p in Path.cwd().glob("*")) == [written]
    assert Path(written).read_text("utf-8").lower().startswith(head.lower())


def test_ids_are_unique_and_every_reference_finds_one(bundled: tuple[KB, str]) -> None:
    _, page = bundled
    nodes = parse(page).walk()
    ids = [n.attrs["id"] for n in nodes if n.attrs.get("id")]
    assert len(ids) == len(set(ids))
    for node in nodes:
        for name in ("aria-labelledby", "headers"):
            if node.attrs.get(name):
                assert node.attrs[name] in ids, (node.tag, name, node.attrs[name])
        href = node.attrs.get("href") or ""
        if node.tag == "a" and href.startswith("#"):
            assert href[1:] in ids, href


def test_contradictions_and_why_a_cell_is_empty(copy_kb: CopyKB) -> None:
    kb_dir = copy_kb()
    source = kb_dir / "sources" / "survey.toml"
    source.write_text(source.read_text("utf-8") + "per_occupation = true\n", "utf-8")
    role = kb_dir / "roles" / "mle.toml"
    role.write_text(role.read_text("utf-8") + 'occupations = { survey = "15-1221.00" }\n', "utf-8")
    facts = kb_dir / "facts" / "survey" / "mle.toml"
    facts.write_text(
        facts.read_text("utf-8")
        + '\n[[contradictions]]\ntopic = "programming-languages"\nitem = "python"\n'
        'text = "The survey gives two shares for Python."\n'
        'quotes = ["Python (80%) for ML engineers", "Python (70%) elsewhere"]\n'
        '\n[[contradictions]]\ntopic = "programming-languages"\n'
        'text = "The survey counts postings twice."\n'
        'quotes = ["We read 300 postings.", "We read 150 postings."]\n',
        "utf-8",
    )
    tree = parse(build(load_kb(str(kb_dir))))
    box = tree.find("div", **{"class": "caveats"})
    assert len(box) == 1
    text = box[0].text()
    assert "Python: The survey gives two shares for Python." in text
    assert "The survey counts postings twice." in text
    assert "Python (70%) elsewhere" in text
    assert "We read 150 postings." in text
    empty = cells(tree)[("programming-languages", "python", "survey", "de")].text(skip=("details",))
    assert "not reported" in empty
    assert "(no Example Survey occupation)" in empty
