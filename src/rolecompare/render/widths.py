"""Column widths for the tables (render/table.py): no word split, no number cut, and at a
glance the fewest lines. Plain functions of the cells' text; no Rich here."""

from __future__ import annotations

STACK_BELOW = 60  # narrower than this, a table becomes one block per row
LIST_MIN = 20  # a role column of lists narrower than this: one block per row instead
# With --details, a role column narrower than this whose text would wrap in it: one block
# per row instead (a 14-character column makes a paragraph 20 lines tall).
TEXT_MIN = 20
LABEL_MAX = 22


def _listed(column: list[str]) -> bool:
    """Whether a column's cells hold bulleted lists (the header is its first entry)."""
    return any(line[:2] in ("• ", "* ") for text in column[1:] for line in text.splitlines())


def _longest_word(lines: list[str]) -> int:
    return max([len(word) for line in lines for word in line.split()] + [1])


def whole(grid: list[list[tuple[str, str]]], widths: list[int] | None) -> bool:
    """Whether every cell's lines fit their columns unwrapped (stacked blocks never do)."""
    if widths is None:
        return not grid
    return all(
        len(line) <= w
        for cells in grid
        for (text, _), w in zip(cells, widths, strict=True)
        for line in text.splitlines()
    )


def widths(
    headers: list[str],
    grid: list[list[tuple[str, str]]],
    width: int,
    boxed: bool,
    numeric: bool,
    details: bool = False,
) -> list[int] | None:
    """Column widths that split no word and cut no number, or None when none fit.

    Every column is at least as wide as its longest word (the lead column as its
    longest line: it never wraps); the label column is at most LABEL_MAX wide unless
    a word needs more; role columns share the rest, each at least its longest word.
    Below STACK_BELOW columns, when the words cannot fit, or when lists would get role
    columns narrower than LIST_MIN, or with --details (details) when text would wrap in a
    role column narrower than TEXT_MIN, None: stack instead.
    """
    if width < STACK_BELOW:
        return None
    columns = [[h, *(cells[i][0] for cells in grid)] for i, h in enumerate(headers)]
    words = [_longest_word(c) for c in columns]
    natural = [max(len(line) for text in c for line in text.splitlines() or [""]) for c in columns]
    frame = 1 + 3 * len(headers) if boxed else 2 * (len(headers) - 1)
    lead = natural[-1] if numeric else 0
    label = max(words[0], min(natural[0], max(LABEL_MAX, width // 4)))
    roles = slice(1, len(headers) - 1 if numeric else len(headers))
    need, want = words[roles], natural[roles]
    cells = [
        max([_longest_word([h]), *(len(ln) for t in c[1:] for ln in t.splitlines())])
        for h, c in zip(headers[roles], columns[roles], strict=True)
    ]
    if natural[0] > label and width - frame - natural[0] - lead >= sum(cells):
        label = natural[0]  # a whole label, where only the headers wrap for it
    room = width - frame - label - lead
    if sum(need) > room:
        label = max(words[0], min(label, width - frame - lead - sum(need)))
        room = width - frame - label - lead
        if sum(need) > room:
            return None
    if sum(want) <= room:
        given = want
    elif any(_listed(c) for c in columns[roles]) and room < len(need) * LIST_MIN:
        return None  # lists in columns this narrow read better one block per row
    elif numeric and not details:  # figures at a glance: a narrower label that saves lines
        label, given = _lowest(columns, label, words[0], need, want, room + label)
    else:
        given = _even(need, want, room)
    if details and any(g < TEXT_MIN and g < w for g, w in zip(given, want, strict=True)):
        return None  # paragraphs in columns this narrow read better one block per row
    return [label, *given] + ([lead] if numeric else [])


def _even(need: list[int], want: list[int], room: int) -> list[int]:
    """Role columns' widths: each its longest word, then the narrowest filled first, so
    that the columns come out even."""
    given = list(need)
    spare = room - sum(need)
    while spare > 0:
        short_of = [i for i in range(len(given)) if given[i] < want[i]]
        if not short_of:
            break
        given[min(short_of, key=lambda i: given[i])] += 1
        spare -= 1
    return given


def _lowest(
    columns: list[list[str]], label: int, least: int, need: list[int], want: list[int], room: int
) -> tuple[int, list[int]]:
    """The label's width (at most `label`, a few narrower tried) and the role columns'
    that make the table the fewest lines tall; the widest label among equals."""
    best: tuple[int, int, list[int]] | None = None
    for width in range(label, max(least, label - 6) - 1, -1):
        if sum(need) > room - width:
            break
        given = _even(need, want, room - width)
        tall = _tall(columns, [width, *given])
        if best is None or tall < best[0]:
            best = (tall, width, given)
    assert best is not None  # the first width fits: the caller checked
    return best[1], best[2]


def _tall(columns: list[list[str]], widths: list[int]) -> int:
    """How many lines a table's header and rows take with these column widths."""
    import textwrap

    def lines(text: str, width: int) -> int:
        return sum(
            1  # a line that fits (most cells) needs no wrapping to count
            if len(ln) <= width
            else len(textwrap.wrap(ln, width, break_long_words=False, break_on_hyphens=False)) or 1
            for ln in text.splitlines() or [""]
        )

    rows = zip(*(c for c in columns[: len(widths)]), strict=True)
    return sum(max(lines(t, w) for t, w in zip(row, widths, strict=False)) for row in rows)
