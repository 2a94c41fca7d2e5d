"""Untrusted text made safe to show: every string from a KB or a file name passes here.

A KB may come from anyone. Its text must never drive the terminal (escape
sequences, C1 controls, bidi overrides) nor break a line, a row or a message, so
control, bidi and undecodable characters are shown visibly escaped (`\\x1b`,
`\\u202e`), never dropped: JSON keeps the original, escaped by the encoder.
"""

from __future__ import annotations

import functools
import os
import re

# C0 and C1 controls, DEL, the line and paragraph separators, bidi controls, and
# the surrogates that stand for undecodable bytes in file names (surrogateescape).
# Every one of them is non-printable to str.isprintable (categories Cc, Cf, Cs, Zl,
# Zp), so text that is printable throughout is safe as it is, without this pattern.
UNSAFE = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
MAX_MESSAGE = 300  # characters of one shown value in a one-line message


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(text: str) -> str:
    """text with every control, bidi and undecodable character visibly escaped."""
    return text if text.isprintable() else _unsafe().sub(_escape, text)


@functools.cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(UNSAFE)  # compiled on first use: most text never needs it


def shown(text: str, limit: int = MAX_MESSAGE) -> str:
    """A value quoted in a one-line message: escaped, and cut to a readable length."""
    return cut(safe(text), limit)


def cut(text: str, limit: int = MAX_MESSAGE) -> str:
    """text cut to a readable length, as it is (for a value a message shows with repr,
    which escapes it)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_path(path: str | os.PathLike[str]) -> str:
    """A file name for a message; a name that is not UTF-8 shows its bytes escaped."""
    return shown(os.fspath(path))


def wrapped(line: str, width: int | None, indent: str = "  ") -> list[str]:
    """A line of a message, wrapped at spaces to a terminal `width` (never inside a word:
    a word longer than the line stands alone), its further lines indented; a width of
    None (not a terminal) keeps the line whole, one line per problem for scripts."""
    if width is None or len(line) <= width:
        return [line]
    import textwrap

    return textwrap.wrap(
        line,
        width=width,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]


def terminal_columns(stream: object) -> int | None:
    """The width of the terminal `stream` writes to, or None when it is not a terminal."""
    try:
        if not stream.isatty():  # type: ignore[attr-defined]
            return None
        columns = os.get_terminal_size(stream.fileno()).columns  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    return columns if columns >= 20 else None
