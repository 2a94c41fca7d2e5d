"""Whether a role's name could pass for another's, by Unicode's own rules.

    confusing_characters(name)   # why a name could be mistaken for another, or None
    confusable_key(name)         # the same for any two names that look alike

A role is chosen by its name and aliases (`--roles`), so no two may look alike and
none may hide a character. Invisible means Unicode's Default_Ignorable_Code_Point
(zero-width and bidi controls, the combining grapheme joiner U+034F, Hangul fillers,
variation selectors, tags), any blank other than the space (the braille blank U+2800,
no-break and other spaces: category Zs), and characters with no fixed glyph (private
use, unassigned). Controls and line separators are not refused: wherever a name is
shown they are escaped (rolecompare.text), so they show for what they are.

Look-alike means the same skeleton: UTS #39 section 4, NFD, then each character to
its prototype in Unicode's confusables.txt, then NFD again, default ignorables
removed. confusables.txt comes from the confusable-homoglyphs package (docs/development.md,
"Tooling"), imported only here, when a KB's roles are validated.
"""

from __future__ import annotations

import functools
import unicodedata

# Default_Ignorable_Code_Point, from Unicode's DerivedCoreProperties.txt (stable since 5.2).
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Characters that draw nothing though Unicode does not call them ignorable.
BLANKS = frozenset("\u2800")


def ignorable(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in DEFAULT_IGNORABLE)


def hidden(name: str) -> str | None:
    """Why name holds a character that cannot be seen or tells nothing apart, or None."""
    for char in name:
        category = unicodedata.category(char)
        code = f"U+{ord(char):04X}"
        if category == "Cf":
            return f"an invisible or bidi control character ({code})"
        if ignorable(char):
            return f"an invisible character ({code})"
        if char in BLANKS or (category == "Zs" and char != " "):
            return f"a blank character other than the space ({code})"
        if category in ("Co", "Cn"):
            return f"a private-use or unassigned character ({code})"
    return None


def confusing_characters(name: str) -> str | None:
    """Why a name could be mistaken for another, or None: it holds a character that
    cannot be seen (hidden), or one that NFKC normalisation changes (full-width letters,
    ligatures). Other controls are shown escaped wherever the name is shown
    (rolecompare.text), so they cannot pass for anything else."""
    why = hidden(name)
    if why is not None:
        return why
    if unicodedata.normalize("NFKC", name) != name:
        changed = next(c for c in name if unicodedata.normalize("NFKC", c) != c)
        plain = unicodedata.normalize("NFKC", changed)
        return f"a compatibility character (U+{ord(changed):04X}, NFKC: {plain!r})"
    return None


def confusable_key(name: str) -> str:
    """The form in which role names are checked for uniqueness: NFKC-normalised, format
    characters (Unicode category Cf) and blanks removed, then its skeleton, folded as
    names are compared (case, spaces, dashes and dots ignored)."""
    from rolecompare.kb.types import fold

    plain = unicodedata.normalize("NFKC", name)
    plain = "".join(c for c in plain if unicodedata.category(c) != "Cf" and c not in BLANKS)
    return fold(skeleton(plain))


def skeleton(name: str) -> str:
    """UTS #39's skeleton of name: two names that look alike have the same one."""
    mapped = "".join(map(_prototype, unicodedata.normalize("NFD", name)))
    return unicodedata.normalize("NFD", "".join(c for c in mapped if not ignorable(c)))


@functools.cache
def _prototype(char: str) -> str:
    """The prototype confusables.txt maps char to (char itself if it maps to nothing).

    The package keeps each line "source ; prototype" in both directions. A prototype is
    never a source, so a character with several partners is a prototype, and one whose
    only partner has several is that partner's source; a pair of one each maps both to
    the lesser, which keeps the pair together either way."""
    found = _confusables().get(char)
    if not found or len(found) > 1:
        return char
    partner = str(found[0]["c"])
    if len(_confusables().get(partner, ())) > 1:
        return partner
    return min(char, partner)


@functools.cache
def _confusables() -> dict[str, list[dict[str, str]]]:
    from confusable_homoglyphs import confusables  # type: ignore[import-untyped]

    data: dict[str, list[dict[str, str]]] = confusables.confusables_data
    return data
