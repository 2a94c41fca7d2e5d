"""Figures to words: every number, unit, lead, approximation, interval and N that any
format shows is written here, and only here, so no two formats can disagree.

Numbers are never shown in scientific notation and never rounded unless a function
says so (a margin, an interval); a figure keeps the digits its source wrote.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from rolecompare.compare.report import CHANGE, PERCENT, Cell, Row

# A number as people write it: 1,234,567.8 (thousands in threes) or 1234.5; never "1,5".
_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d]|[.,]\d)"
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
APPROXIMATELY = "approximately"  # in a figure's own text
ABOUT = "about"  # in a lead or a headline, where fewer words are read
NOT_REPORTED = "—"


def _decimal(value: float) -> Decimal:
    """The shortest decimal that is this float (what the KB file wrote)."""
    return Decimal(repr(float(value)))


def exact(value: float) -> str:
    """A value as its shortest exact decimal, thousands in threes: 1,234.5, 0.00001;
    never rounded, never "1e-05"."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{_decimal(value):,f}"


def plain(value: float) -> str:
    """A number as a spreadsheet reads it: 160000, 56.7, 0.00001 (no commas, never 1e-05)."""
    if value == int(value):
        return str(int(value))
    return f"{_decimal(value):f}"


def plain_written(written: str) -> str:
    """A number as its source wrote it, without the thousands commas: "19.70" stays
    "19.70" (the digits are the source's precision), "160,000" is "160000"."""
    return written.replace(",", "")


def decimals(value: float) -> str:
    """One decimal at least ("19.0", "20.7"), more only when the value has them ("0.04",
    "0.00001"), never in scientific notation."""
    one = f"{value:.1f}"
    return one if float(one) == value else f"{_decimal(value):f}"


def as_written(value: float, quote: str, unit: str | None = None) -> str:
    """The number as the part of its quote that states it writes it: 33.0 stays "33.0",
    40 stays "40", and 1,250 keeps its comma.

    Only that part counts: a percent is a number followed by "%", an amount of money
    one next to its currency sign or code; another number of the same value elsewhere
    in the quote ("grew 1.5 times") is used only when no such part exists. A quote
    that states no such number gives the value itself, unrounded.
    """
    numbers = [m for m in re.finditer(_NUMBER, quote) if float(m.group().replace(",", "")) == value]
    if unit == PERCENT:
        marked = [m for m in numbers if re.match(r"\s*%", quote[m.end() :])]
    elif unit is not None:  # a currency code
        sign = re.escape(SYMBOLS.get(unit, unit))
        code = re.escape(unit)
        marked = [
            m
            for m in numbers
            if re.search(rf"(?:{sign}|{code})\s*$", quote[: m.start()])
            or re.match(rf"\s*(?:{code}\b|{sign})", quote[m.end() :])
        ]
    else:
        marked = numbers
    found = marked or numbers
    return found[0].group() if found else exact(value)


def per(period: str) -> str:
    """ "a year", "a month", "an hour"."""
    return f"an {period}" if period == "hour" else f"a {period}"


def money(amount: float, currency: str, quote: str = "") -> str:
    """An amount with its currency, its digits exactly as the quote states them."""
    return money_written(as_written(amount, quote, currency), currency)


def money_written(number: str, currency: str) -> str:
    """Digits already as written, with their currency: "$160,000", "1,200 CHF"."""
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


def is_money(unit: str | None) -> bool:
    """A unit of money per period ("USD/year"): a count or a share is not money."""
    return unit is not None and "/" in unit


def comparable(unit: str | None) -> bool:
    """Rows whose values can be ranked: one share, or one currency per one period.

    A row has a unit only when all its figures share it, and a range has no single
    value, so it never takes part in a lead.
    """
    return unit in (PERCENT, CHANGE) or is_money(unit)


# ---- a figure's own text -------------------------------------------------------------


SUPPRESSED = "Recommend Suppress = Y"  # beside a figure whose record flags it
NO_LEAD = f"none ({SUPPRESSED})"  # the lead of a row with a suppressed value


def counted_where(where: dict[str, str]) -> str:
    """Where a counted figure was counted, beyond its role and pay rate: "(US, 2024)" for
    the survey's answers of one country and year; "" where it covers the whole file."""
    shown = [v for k, v in where.items() if k not in ("role", "rate") and v]
    return f" ({', '.join(shown)})" if shown else ""


def figure_words(
    written: str,
    unit: str,
    approximate: bool = False,
    reported_by: str | None = None,
    suppressed: bool = False,
) -> str:
    """A figure as its cell shows it: "8.6%", "approximately $160,000 a year (reported by
    Glassdoor)", "1,250", "$100,000–$160,000 a year".

    written is the number as the source wrote it ("19.70"; a range "min–max" of two);
    unit is the figure's: "percent", "percent-change" (written "34%" as its source does,
    never drawn as a share), "count" or a currency per period ("USD/year").
    A suppressed figure keeps its flag beside it: "36.22% (Recommend Suppress = Y)".
    """
    if unit in (PERCENT, CHANGE):
        text = f"{written}%"
    elif is_money(unit):
        currency, period = unit.split("/")
        low, _, high = written.partition("–")
        amount = money_written(low, currency)
        if high:
            amount += "–" + money_written(high, currency)
        text = f"{amount} {per(period)}"
    else:
        text = written
    approx = f"{APPROXIMATELY} " if approximate else ""
    by = f" (reported by {reported_by})" if reported_by else ""
    flag = f" ({SUPPRESSED})" if suppressed else ""
    return f"{approx}{text}{by}{flag}"


# ---- leads ---------------------------------------------------------------------------


def short_name(role_id: str) -> str:
    """What a lead calls a role: "MLE" for a short id, else the id itself."""
    return role_id.upper() if len(role_id) <= 4 else role_id


def gap_text(row: Row) -> str:
    """The gap alone, one style for every row and every format: one decimal at least for
    pp ("+19.0 pp"), money as money ("about +$6,000")."""
    assert row.lead is not None
    if is_money(row.unit):
        assert row.unit is not None
        about = f"{ABOUT} " if any(c.approximate for c in row.cells.values() if c.value) else ""
        return f"{about}+{money(row.lead, row.unit.split('/')[0])}"
    return f"+{_lead_number(row)} pp"


def _lead_number(row: Row) -> str:
    """The gap with as many decimals as its figures are written with, one at least:
    28.42 - 9.52 is "18.90" beside "21.93", 88.3 - 69.3 is "19.0"."""
    assert row.lead is not None
    places = [
        len(w.partition(".")[2])
        for c in row.cells.values()
        if c.value is not None
        for w in c.written[:1]
    ]
    text = f"{_decimal(row.lead):.{max([1, *places])}f}"
    return text if Decimal(text) == _decimal(row.lead) else decimals(row.lead)


def lead_text(row: Row) -> str:
    """The leader and the gap in the row's unit: "MLE +20.7 pp", "MLE about +$6,000",
    "tie"; "none (Recommend Suppress = Y)" where a suppressed value stops it; empty for
    another row with no lead."""
    if row.lead is None:
        return NO_LEAD if any(c.suppressed for c in row.cells.values()) else ""
    if row.leader is None:
        return "tie"
    return f"{short_name(row.leader)} {gap_text(row)}"


def cited(source: str, reported_by: list[str]) -> str:
    """Where a headline's figures come from: "[365datascience]", or, for figures that the
    source cites from someone else, "reported by Glassdoor [365datascience]"."""
    who = " and ".join(dict.fromkeys(r for r in reported_by if r))
    return f"reported by {who} [{source}]" if who else f"[{source}]"


def value_text(cell: Cell, unit: str | None) -> str:
    """A figure in few words, for a headline: "8.6%", "about $160,000"."""
    if is_money(unit) and cell.value is not None and unit is not None:
        about = f"{ABOUT} " if cell.approximate else ""
        return f"{about}{money(cell.value, unit.split('/')[0])}"
    return cell.texts[0]


# ---- counted figures: k of N, and a 95% interval ---------------------------------------


def _one_decimal(value: Decimal | float) -> str:
    number = value if isinstance(value, Decimal) else _decimal(value)
    return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"


def share_of(k: int, n: int) -> str:
    """k of n as a percent to one decimal: 7,552 of 10,504 is "71.9%"."""
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"{k} of {n} is not a share")
    return _one_decimal(Decimal(k) * 100 / Decimal(n)) + "%"


def margin(k: int, n: int, lo: float, hi: float) -> str:
    """The larger distance from the share to either end of its interval, to one decimal:
    "±0.9". lo and hi are percents (0–100)."""
    share = Decimal(k) * 100 / Decimal(n)
    widest = max(share - _decimal(lo), _decimal(hi) - share)
    return "±" + _one_decimal(widest)


def share_with_margin(k: int, n: int, lo: float, hi: float) -> str:
    """A counted share at a glance: "71.9% ±0.9" (lo and hi: its 95% interval, in percent)."""
    return f"{share_of(k, n)} {margin(k, n, lo, hi)}"


def count_of(k: int, n: int, noun: str) -> str:
    """ "7,552 of 10,504 postings"."""
    return f"{k:,} of {n:,} {noun}"


def interval(lo: float, hi: float, level: int = 95) -> str:
    """ "95% CI 71.0–72.8" (lo and hi in percent, shown to one decimal)."""
    return f"{level}% CI {_one_decimal(lo)}–{_one_decimal(hi)}"


def counted_detail(k: int, n: int, noun: str, lo: float, hi: float) -> str:
    """A counted share with --details: "7,552 of 10,504 postings, 95% CI 71.0–72.8"."""
    return f"{count_of(k, n, noun)}, {interval(lo, hi)}"


def n_text(n: int) -> str:
    """A sample size: "N = 10,504"."""
    return f"N = {n:,}"


def share_value(k: int, n: int) -> float:
    """The share a counted figure shows, as a number: k of n in percent, to one decimal
    (what its text says, so a bar and a lead agree with what is read)."""
    return float(share_of(k, n)[:-1])


def percentiles_text(currency: str, points: tuple[float, ...]) -> str:
    """Counted pay's percentiles with --details (its N is in its text at a glance): "p10
    $92,920, p25 $115,700, p75 $200,000, p90 $243,000"."""
    names = ("p10", "p25", "p75", "p90")
    return ", ".join(f"{k} {money(v, currency)}" for k, v in zip(names, points, strict=True))


def figure_detail(cell: Cell) -> str | None:
    """What --details (and every format that carries everything) adds under a figure: a
    counted figure's k of N and interval ("7,552 of 10,504 postings, 95% CI 71.0–72.8"),
    or a data record's sample size with whose answers and when ("N = 16 (Incumbent,
    08/2019)": O*NET's Domain Source and Date); None when it has none of these."""
    if cell.k is not None and cell.n is not None and cell.interval is not None:
        return counted_detail(cell.k, cell.n, cell.noun or "cases", *cell.interval)
    if cell.k is not None and cell.n is not None:
        return count_of(cell.k, cell.n, cell.noun or "cases")
    if cell.percentiles is not None and cell.n is not None and cell.unit:
        return percentiles_text(cell.unit.split("/")[0], cell.percentiles)
    who = ", ".join(cell.provenance)
    if cell.n is not None:
        return n_text(cell.n) + (f" ({who})" if who else "")
    return who or None
