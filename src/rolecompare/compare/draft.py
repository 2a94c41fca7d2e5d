"""Reading a job-posting draft's own words for `rolecompare check`: its title, the
salary ranges it states, the lines of its lists, and the roles its title names.

Rules (README text in the check helper's report; tests/test_check.py checks each):
- Title: a line "Title: ..." (any case) wherever it is, else the first non-empty line.
- Title roles: the title read as words (case ignored, every run of characters other
  than letters, digits, + and # is one space) names a role when the role's name, its
  name + "s", or an alias whose last word is the name's last word occurs as whole
  consecutive words: the same rule as `import postings` reads posting titles with.
- Salary: a range of two amounts joined by "-", "–", "—" or "to", with a currency sign
  or code ($, US$, USD, £, GBP, €, EUR, C$, CA$, A$, AU$) or a "k" on at least one
  side ("$120,000–$150,000", "120k-150k a year", "$55-$70 an hour"). The period is the
  one written after it (a year, annually, per annum; an hour, hourly, /hr); none
  written is "not stated". Hourly pay is kept as hourly, never multiplied.
- A role's name or alias in the text ("a Machine Learning Engineer", "data scientists")
  asks for no skill: the terms inside it do not count, nor does the title line.
- A list line: a line starting with "-", "*", "•", "·" or "1." / "1)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rolecompare.kb.types import RoleData

_TITLE = re.compile(r"^\s*(?:job\s+)?title\s*:\s*(?P<t>\S.*?)\s*$", re.IGNORECASE | re.MULTILINE)
_WORD_SEP = re.compile(r"[^a-z0-9+#]+")
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦]|\d{1,2}[.)])\s+(?P<line>\S.*?)\s*$", re.MULTILINE)

_CURRENCY = r"(?:US\$|CA\$|C\$|AU\$|A\$|\$|£|€|USD|GBP|EUR|CAD|AUD)"


def _amount_re(i: int) -> str:
    """One amount of a range, its groups numbered i: currency, number, k, code after."""
    return (
        rf"(?P<c{i}>{_CURRENCY}\s?)?(?P<n{i}>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
        rf"(?P<k{i}>\s?[kK]\b)?(?:\s?(?P<d{i}>USD|GBP|EUR|CAD|AUD)\b)?"
    )


_PERIOD = (
    r"(?:\s*(?:per|a|an|/)\s*(?P<per>year|yr|annum|hour|hr)\b"
    r"|\s*(?P<adv>annually|yearly|hourly)\b)?"
)
_RANGE = re.compile(
    _amount_re(1) + r"\s*(?:-|–|—|to)\s*" + _amount_re(2) + _PERIOD,
    re.IGNORECASE,
)
_CODES = {
    "$": "USD",
    "US$": "USD",
    "USD": "USD",
    "£": "GBP",
    "GBP": "GBP",
    "€": "EUR",
    "EUR": "EUR",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD": "AUD",
}
_PERIODS = {
    "year": "year",
    "yr": "year",
    "annum": "year",
    "annually": "year",
    "yearly": "year",
    "hour": "hour",
    "hr": "hour",
    "hourly": "hour",
}
# Places a draft may name that put its pay outside the United States.
_ELSEWHERE = re.compile(
    r"\b(?:United Kingdom|UK|England|London|Canada|Toronto|Vancouver|Australia|Sydney|"
    r"Melbourne|India|Bangalore|Bengaluru|Germany|Berlin|France|Paris|Europe|EU|EMEA|"
    r"Ireland|Dublin|Netherlands|Amsterdam|Spain|Singapore)\b"
)


@dataclass(frozen=True)
class Pay:
    """A salary range as the draft writes it, read: the currency ("USD"; "" where none
    is written), the period ("year", "hour"; "" where none is written), the two amounts."""

    text: str
    low: float
    high: float
    currency: str
    period: str


def title_of(text: str) -> tuple[str, int, int]:
    """The draft's title, where it is (start, end): a "Title:" line, else its first
    non-empty line (("", 0, 0) for none)."""
    found = _TITLE.search(text)
    if found:
        return found["t"], found.start(), found.end()
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            return line.strip(), pos, pos + len(line)
        pos += len(line)
    return "", 0, 0


def _words(text: str) -> str:
    return " " + " ".join(_WORD_SEP.split(text.casefold())).strip() + " "


def role_phrases(role: RoleData) -> set[str]:
    """The role's phrases in word form (" data scientist "), as postings' titles are read."""
    name = _words(role["name"])
    head = name.split()[-1] if name.split() else ""
    phrases = {name, name[:-1] + "s "}
    for alias in role["aliases"]:
        w = _words(alias)
        if w.split() and w.split()[-1] in (head, head + "s"):
            phrases.add(w)
    return {p for p in phrases if p.strip()}


def title_roles(title: str, roles: list[RoleData]) -> list[RoleData]:
    """The roles a title names (see the module's rules)."""
    words = _words(title)
    return [r for r in roles if any(p in words for p in role_phrases(r))]


def role_spans(text: str, roles: list[RoleData]) -> list[tuple[int, int]]:
    """Where the text names a role by its name or an alias, as whole words, case ignored
    ("a Machine Learning Engineer", "with data scientists"), plurals too."""
    names = sorted({n for r in roles for n in (r["name"], *r["aliases"])}, key=len, reverse=True)
    if not names:
        return []
    alts = "|".join(r"[\s\-_]+".join(map(re.escape, n.split())) for n in names)
    found = re.finditer(rf"(?<![\w])(?:{alts})s?(?![\w])", text, re.IGNORECASE)
    return [(m.start(), m.end()) for m in found]


def list_lines(text: str) -> list[tuple[int, int, str]]:
    """Each list line's start and end in the text and its words (without the bullet)."""
    return [(m.start("line"), m.end("line"), m["line"]) for m in _BULLET.finditer(text)]


def _amount(match: re.Match[str], i: int) -> float:
    value = float(match[f"n{i}"].replace(",", ""))
    return value * 1000 if match[f"k{i}"] else value


def _currency(match: re.Match[str]) -> str | None:
    for key in ("c1", "c2", "d1", "d2"):
        if match[key]:
            return _CODES.get(match[key].strip().upper(), _CODES.get(match[key].strip()))
    return None


def pay_ranges(text: str) -> list[Pay]:
    """Every salary range the draft states (see the module's rules), in text order."""
    out = []
    for m in _RANGE.finditer(text):
        currency = _currency(m)
        if currency is None and not (m["k1"] or m["k2"]):
            continue  # "3-5 years": no currency, no k
        low, high = _amount(m, 1), _amount(m, 2)
        if m["k2"] and not m["k1"] and low < 1000 <= high:
            low *= 1000  # "120-150k": the k is written once, for both
        word = (m["per"] or m["adv"] or "").lower()
        out.append(Pay(m[0].strip(), low, high, currency or "", _PERIODS.get(word, "")))
    return out


def elsewhere(text: str) -> str | None:
    """A place the draft names outside the United States (for pay), or None."""
    found = _ELSEWHERE.search(text)
    return found[0] if found else None
