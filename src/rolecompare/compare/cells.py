"""A figure's cell and a row's lead: the pieces every comparison builds its rows from
(compare/topics.py, plan, fit, check). A cell's text is written here, once, by the
renderers' formatting layer (render/format.py), so that every format and `check` show
the same words; the lead is the exact difference of the values as written."""

from __future__ import annotations

from decimal import Decimal

from rolecompare.compare.report import CHANGE, PERCENT, Cell
from rolecompare.compare.stats import wilson
from rolecompare.kb.types import FigureData, origin, provenance, suppressed
from rolecompare.render.format import (
    as_written,
    counted_where,
    figure_words,
    n_text,
    share_of,
    share_value,
    share_with_margin,
)


def share_cell(k: int, n: int, quote: str) -> Cell:
    """A counted share's cell: k of n postings as a share with its 95% interval, and the
    quote or record it is counted from."""
    lo, hi = wilson(k, n)
    return Cell(
        (share_with_margin(k, n, lo, hi),),
        share_value(k, n),
        quotes=(quote,),
        unit=PERCENT,
        written=(share_of(k, n)[:-1],),
        k=k,
        n=n,
        interval=(lo, hi),
        noun="postings",
    )


def _counted_cell(fig: FigureData) -> Cell:
    """A counted figure's cell: a share with its interval, or pay's median with N and
    percentiles (all computed here from what the KB stores)."""
    quote = origin(fig)
    share, pay = fig["share"], fig["pay"]
    if share is not None:
        return share_cell(share["k"], share["n"], quote)
    assert pay is not None  # the model requires share or pay with counted
    unit = f"{pay['currency']}/{pay['period']}"
    written = as_written(pay["median"], "", pay["currency"])
    where = counted_where(fig["counted"]["where"]) if fig["counted"] else ""
    noun = "answers" if pay["basis"] == "survey" else "postings"
    return Cell(
        (f"{figure_words(written, unit)}{where}, {n_text(pay['n'])} {noun}",),
        pay["median"],
        quotes=(quote,),
        unit=unit,
        written=(written,),
        n=pay["n"],
        noun=noun,
        percentiles=(pay["p10"], pay["p25"], pay["p75"], pay["p90"]),
    )


def figure_cell(fig: FigureData, kind: str = "") -> Cell:
    """A figure's cell, as every comparison (and `check`) shows it: its text (written by
    the one formatting layer, render/format.py) and what it is."""
    if fig["counted"] is not None:
        return _counted_cell(fig)
    quote = origin(fig)
    unit = unit_of(fig, kind)
    span = None
    if fig["percent"] is not None or fig["count"] is not None:
        value = fig["percent"] if fig["percent"] is not None else fig["count"]
        assert value is not None
        written: tuple[str, ...] = (
            as_written(value, quote, PERCENT if unit in (PERCENT, CHANGE) else None),
        )
    elif fig["money"] is not None:
        value = fig["money"]["amount"]
        written = (as_written(value, quote, fig["money"]["currency"]),)
    else:
        r = fig["range"]
        assert r is not None  # the model requires exactly one value
        value, span = None, (r["min"], r["max"])
        written = tuple(as_written(v, quote, r["currency"]) for v in span)
    by = fig["reported_by"] or ""
    flagged = suppressed(fig)
    return Cell(
        (figure_words("–".join(written), unit, fig["approximate"], by, flagged),),
        value,
        span,
        fig["approximate"],
        (quote,),
        unit=unit,
        written=written,
        reported_by=by,
        n=_sample_size(fig),
        suppressed=flagged,
        provenance=provenance(fig),
    )


def _sample_size(fig: FigureData) -> int | None:
    """N, where the figure's data record gives it (O*NET's "N" column)."""
    record = fig["record"]
    raw = (record["values"].get("N") or "") if record else ""
    return int(raw) if raw.isascii() and raw.isdigit() else None


def unit_of(fig: FigureData, kind: str = "") -> str:
    """A figure's unit; a percent of an official statistic (a term of kind "statistic",
    such as a projected change in jobs) is not a share of postings."""
    if fig["share"] is not None:
        return PERCENT
    if fig["pay"] is not None:
        return f"{fig['pay']['currency']}/{fig['pay']['period']}"
    if fig["percent"] is not None:
        return CHANGE if kind == "statistic" else PERCENT
    if fig["count"] is not None:
        return "count"
    m = fig["money"] or fig["range"]
    assert m is not None
    return f"{m['currency']}/{m['period']}"


def leader_of(cells: dict[str, Cell]) -> tuple[str | None, float | None]:
    """The role with the highest value and its lead over the runner-up, in the row's unit.

    The lead is the exact difference of the values as written (80.04 - 80 = 0.04,
    never 0.0 nor 0.0400000001); only a lead of zero is a tie. A row with a suppressed
    value (O*NET's "Recommend Suppress = Y") has no lead: none is computed from it, and
    a lead among the others could hide it.
    """
    if any(c.suppressed for c in cells.values()):
        return None, None
    values = sorted(
        ((c.value, rid) for rid, c in cells.items() if c.value is not None), reverse=True
    )
    if len(values) < 2:
        return None, None
    (top, rid), (second, _) = values[0], values[1]
    lead = float(Decimal(repr(float(top))) - Decimal(repr(float(second))))
    return (rid if lead > 0 else None), lead


def exact_gap(top: float, second: float) -> float:
    """top - second, exactly as written (61.90 - 19.93 is 41.97, never 41.970000000000006)."""
    return float(Decimal(repr(float(top))) - Decimal(repr(float(second))))
