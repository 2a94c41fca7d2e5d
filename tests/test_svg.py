"""render.to_svg: the table as a colour terminal 100 columns wide shows it, as an SVG image."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from pagecheck import report_figures
from rolecompare.compare.topics import compare
from rolecompare.kb.load import load_kb
from rolecompare.render.table import to_svg

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("command", ["skills", "salary"])
def test_svg_is_xml_with_the_tables_figures(command: str) -> None:
    kb = load_kb(None)
    report = compare(kb, command, kb["roles"])
    svg = to_svg(report)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    text = "".join(root.itertext()).replace("\xa0", " ")
    glance = [s for s in report.sections if not s.detail]  # an image of the glance
    figures = report_figures(replace(report, sections=glance))
    assert figures
    for figure in figures:
        assert figure in text
    if command == "skills":
        assert "56.7%" in text
        assert "MLE +20.7 pp" in text
    assert "@font-face" not in svg  # no web font: the image needs nothing but itself
    assert "https://" not in svg.replace("https://www.textualize.io", "")


def test_svg_has_a_fixed_width_and_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "40")
    kb = load_kb(None)
    report = compare(kb, "skills", kb["roles"])
    narrow, wide = to_svg(report, width=80), to_svg(report)
    assert ET.fromstring(narrow).get("viewBox") != ET.fromstring(wide).get("viewBox")
    assert "fill: #" in wide or "fill:#" in wide
    assert "━" in "".join(ET.fromstring(wide).itertext())  # the terminal's box, not a pipe's
