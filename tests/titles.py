"""The tests' own reading of a posting title, independent of the importer's code: a title
names a role when its words hold one of the role's phrases, and it counts for a role only
when it names exactly one (docs/commands.md, "Counting postings")."""

from __future__ import annotations

import re

PHRASES = {
    "ds": ("data scientist", "data scientists"),
    "mle": (
        "machine learning engineer",
        "machine learning engineers",
        "ml engineer",
        "ml engineers",
    ),
}


def words(text: str) -> str:
    """The text's words, lowercased, between single spaces (and one at each end)."""
    return " " + " ".join(re.split(r"[^\w+#]+|_+", text.lower())).strip() + " "


def title_role(title: str) -> str | None:
    """The one role a title names, else None (no role, or two)."""
    w = words(title)
    named = [rid for rid, phrases in PHRASES.items() if any(f" {p} " in w for p in phrases)]
    return named[0] if len(named) == 1 else None
