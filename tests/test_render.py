"""Rendered tables at a fixed width, as a terminal and a pipe would show them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from goldens import check_golden as golden_file
from rolecompare import render
from rolecompare.compare.roles import select_roles
from rolecompare.compare.topics import compare
from rolecompare.kb.load import load_kb
from rolecompare.render import tablecells

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
KB3 = ROOT / "tests" / "fixtures" / "kb3"


class Terminal(io.StringIO):
    """A stream that says it is a terminal, with a chosen encoding."""

    def __init__(self, encoding: str = "utf-8") -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def isatty(self) -> bool:
        return True


def rendered(command: str, out: io.StringIO, roles: str | None = None) -> str:
    kb = load_kb(str(KB3))
    report = compare(kb, command, select_roles(kb["roles"], roles))
    render.emit(report, "table", out)
    return out.getvalue()


def visible(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def check_golden(name: str, text: str) -> None:
    """Compare what a person sees (escape codes stripped) with the reviewed file."""
    golden_file(GOLDEN / name, visible(text))


@pytest.fixture
def width_88(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "88")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("TERM", raising=False)


@pytest.mark.usefixtures("width_88")
def test_terminal_table_has_boxes_bars_and_the_lead() -> None:
    text = rendered("skills", Terminal())
    check_golden("kb3-skills-terminal.txt", text)
    assert "┃" in text
    assert "█" in text  # inline bars
    assert "DE +30.0 pp" in text


@pytest.mark.usefixtures("width_88")
def test_console_without_box_characters_gets_ascii() -> None:
    text = rendered("skills", Terminal("ascii"))
    check_golden("kb3-skills-ascii.txt", text)
    text.encode("ascii")
    assert "+---" in text or "|" in text


@pytest.mark.usefixtures("width_88")
def test_pipe_output_is_plain() -> None:
    text = rendered("skills", io.StringIO())
    check_golden("kb3-skills-pipe.txt", text)
    assert "\x1b[" not in text
    assert not set("┃━┏│") & set(text)


def test_no_color_and_dumb_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert "\x1b[" in rendered("skills", Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    coloured = rendered("skills", Terminal())
    assert "\x1b[32m" not in coloured
    assert "\x1b[38;" not in coloured
    assert "\x1b[1;36m" not in coloured  # the section titles: bold, and no longer cyan
    assert "\x1b[1m" in coloured
    monkeypatch.setenv("NO_COLOR", "")  # only a NO_COLOR that is set and not empty counts
    assert "\x1b[1;36m" in rendered("skills", Terminal())
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert "\x1b[" not in rendered("skills", Terminal())


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(0, ""), (100, "█" * 10), (50, "█████"), (56.7, "█████▋"), (3.5, "▎"), (150, "█" * 10)],
)
def test_bar(percent: float, expected: str) -> None:
    assert tablecells.bar(percent, 10) == expected


def test_ascii_bar() -> None:
    assert tablecells.bar(56.7, 10, utf=False) == "######"
