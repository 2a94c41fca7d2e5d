"""Degree phrases in free text (textmatch's rule 5): where each is, and the levels it gives
("MS/PhD in Statistics": master, doctorate). textmatch.Matcher reads the fields inside."""

from __future__ import annotations

import re

LEVELS = {
    "associate": "associate",
    "associates": "associate",
    "associate's": "associate",
    "bachelor": "bachelor",
    "bachelors": "bachelor",
    "bachelor's": "bachelor",
    "undergraduate": "bachelor",
    "bs": "bachelor",
    "b.s.": "bachelor",
    "b.s": "bachelor",
    "bsc": "bachelor",
    "b.sc.": "bachelor",
    "b.sc": "bachelor",
    "ba": "bachelor",
    "b.a.": "bachelor",
    "be": "bachelor",
    "b.e.": "bachelor",
    "btech": "bachelor",
    "b.tech": "bachelor",
    "master": "master",
    "masters": "master",
    "master's": "master",
    "ms": "master",
    "m.s.": "master",
    "m.s": "master",
    "msc": "master",
    "m.sc.": "master",
    "m.sc": "master",
    "ma": "master",
    "m.a.": "master",
    "meng": "master",
    "m.eng.": "master",
    "m.eng": "master",
    "mtech": "master",
    "m.tech": "master",
    "mba": "master",
    "phd": "doctorate",
    "ph.d.": "doctorate",
    "ph.d": "doctorate",
    "ph. d.": "doctorate",
    "doctorate": "doctorate",
    "doctoral": "doctorate",
    "graduate": "graduate",
    "advanced": "graduate",
}


_LEVEL = (
    r"(?:associate(?:'s|’s|s)?|bachelor(?:'s|’s|s)?|undergraduate|master(?:'s|’s|s)?"
    r"|doctorate|doctoral|graduate|advanced|mba|meng|m\.eng\.?|mtech|m\.tech|btech|b\.tech"
    r"|ph\.?\s?d\.?|b\.?sc\.?|m\.?sc\.?|(?-i:B\.?S\.?|M\.?S\.?|B\.?A\.?|M\.?A\.?|B\.?E\.?))"
)


# Words that may stand between a degree and its fields: "degree preferably in", "PhD from a
# leading university in", "Master focused in".
_BETWEEN = (
    r"(?:\s+(?:preferably|ideally|preferred|required|focused|focusing|specializ(?:ed|ing)"
    r"|concentrat(?:ed|ing)|from\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:university|school"
    r"|college|institution|program)))?"
)


# A degree phrase: levels joined by / , or "and"; an optional "degree"; "in"/"of"; fields.
_DEGREE = re.compile(
    rf"(?<![\w.]){_LEVEL}(?:\s*(?:/|,|\bor\b|\band\b|&)\s*{_LEVEL})*"
    r"(?:\s+(?:or\s+higher|or\s+above|or\s+equivalent))?"
    r"(?:\s*\((?:[^()\n]{0,40})\))?"
    r"(?:\s+(?:degree|degrees|diploma|program(?:me)?|level)(?:\s*\([^()\n]{0,40}\))?)?"
    r"(?:\s+(?:or\s+higher|or\s+above|or\s+equivalent))?"
    rf"{_BETWEEN}\s+(?:in|of)\b"
    rf"|(?<![\w.])(?:degree|degrees|major|majors)\s+(?:\([^()\n]{{0,40}}\)\s*)?{_BETWEEN}"
    r"\s*(?:in|of)\b",
    re.IGNORECASE,
)


# Where the fields of a degree phrase end: a clause's end, or what follows degrees.
_FIELDS_END = re.compile(
    r"[;\n•]|(?<!e\.g)(?<!i\.e)[.!?](?=\s|$)|\bwith\b|\bexperience\b|\bplus\b|\byears?\b|\bskills?\b",
    re.IGNORECASE,
)


_LEVEL_WORDS = re.compile(_LEVEL, re.IGNORECASE)


# Where a degree phrase may start (lowercase): a level's first letters, "degree", "major".
_DEGREE_WORD = re.compile(
    r"(?<![\w.])(?:b(?:achelor|\.?(?:sc?|a|e)\b|tech|\.tech)|m(?:aster|\.?(?:sc?|a)\b|ba|eng"
    r"|\.eng|tech|\.tech|ajor)|ph\.?\s?d|doctor|associate|undergraduate|graduate|advanced"
    r"|degree)"
)


_DEGREE_WORD_ANY = re.compile(_DEGREE_WORD.pattern, re.IGNORECASE)


# "a Computer Science degree", "Statistics major": up to four capitalised words before it.
_FIELD_BEFORE = re.compile(r"(?:\b[A-Z][\w&]*\s+){1,4}$")


MAX_FIELDS = 200  # characters of fields read after "in"/"of"


Span = tuple[int, int, tuple[str, ...]]  # (start, end, levels)


def degree_spans(text: str) -> list[Span]:
    """(start, end, levels) of each degree phrase: its level words up to its fields' end,
    and each "X degree" / "X major" with its field just before the word. Only where a
    word that can start one is (_DEGREE_WORD, on the lowercase text): that is fast."""
    heads, fields_before = _heads(text)
    spans = [
        _span(text, m, heads[i + 1] if i + 1 < len(heads) else None) for i, m in enumerate(heads)
    ]
    for start, end in fields_before:
        if not any(s <= start < e for s, e, _ in spans):
            spans.append((start, end, ()))
    spans.sort()
    return spans


def _heads(text: str) -> tuple[list[re.Match[str]], list[tuple[int, int]]]:
    """Each degree phrase's head (levels up to "in"/"of"), and each "X degree" / "X major"
    as (start, end) from its field before the word."""
    heads: list[re.Match[str]] = []
    fields_before: list[tuple[int, int]] = []
    low = text.lower()
    words = _DEGREE_WORD.finditer(low)
    if len(low) != len(text):  # offsets would differ: read the text itself
        words = _DEGREE_WORD_ANY.finditer(text)
    done = 0
    for w in words:
        if w.start() < done:
            continue
        m = _DEGREE.match(text, w.start())
        if m:
            heads.append(m)
            done = m.end()
        elif w.group().lower().startswith(("degree", "major")):
            field = _FIELD_BEFORE.search(text, max(0, w.start() - 80), w.start())
            if field:
                fields_before.append((field.start(), w.end()))
    return heads, fields_before


def _span(text: str, m: re.Match[str], following: re.Match[str] | None) -> Span:
    """A head's phrase: up to its fields' end, and before the next head if there is one."""
    limit = min(len(text), m.end() + MAX_FIELDS)
    if following is not None:
        limit = min(limit, following.start())  # "MS in CS, PhD in Statistics"
    stop = _FIELDS_END.search(text, m.end(), limit)
    end = stop.start() if stop else limit
    end = m.end() + len(text[m.end() : end].rstrip())
    levels = tuple(
        dict.fromkeys(
            LEVELS[_norm_level(w.group())]
            for w in _LEVEL_WORDS.finditer(m.group())
            if _norm_level(w.group()) in LEVELS
        )
    )
    return (m.start(), end, levels)


def _norm_level(word: str) -> str:
    return re.sub(r"\s+", " ", word.casefold().replace("’", "'"))
