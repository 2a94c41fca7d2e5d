"""Find the KB's skills, tools and degrees in free text: one reader for every command.

API (stable; `import postings --text`, `fit --file` and `plan --file` use it):

    matcher = Matcher.from_terms(terms)   # terms: dicts with id, name, kind, aliases
    matcher = Matcher.from_kb(kb)         # the same, from a KB's skills, tools and degrees
    matcher.find(text) -> list[Hit]       # every mention, in text order
    matcher.ids(text) -> set[str]         # the ids of the terms mentioned
    matcher.degrees(text) -> list[Degree] # every degree phrase, with its level(s)

    Hit(term, kind, start, end, text, levels)  # text == the text's [start:end]; levels is
                                               # set for a degree read with its level
    Degree(start, end, text, levels, fields)   # fields: degree term ids, maybe none:
                                               # "a bachelor's degree in a quantitative field"

Nothing here imports Rich, pydantic or DuckDB; a text is scanned by one compiled
regular expression (a trie of every name), and each candidate is checked by the rules
below, which only look at a few characters around it.

Rules (RULES_VERSION; tests/test_textmatch.py checks each on real posting sentences):

1. Names and aliases match on word boundaries (no letter, digit or underscore either
   side), ignoring case, and ignoring the spacing and punctuation between their words
   ("scikit-learn" = "scikit learn", "CI/CD" = "CI CD", "A/B testing" = "AB testing").
   The longest name wins ("Spark Streaming" over "Spark", "C++" over "C"). A skill's name
   also matches with a plural "s" added or dropped ("algorithm", "data pipeline").
2. A name that follows a dot inside a word ("Node.js", "train.py", "scale.ai") or an "@"
   is part of a file name, address or domain and does not count.
3. Short names (two characters or fewer, such as R, C, Go, AI, ML, CV, TF, BI) and the
   ambiguous names below match only as the KB writes them (case-sensitive).
4. Ambiguous names (AMBIGUOUS) have their own rules:
   - R: not joined to "&", "-" or "'" ("R&D", "R-rated", "R-CNN"), not an initial or an
     abbreviation ("J.R.", "John R. Smith"; "using Python or R." counts), not "(R)"
     written after a word (a trademark sign), not a letter of a spelt-out acronym ("R …").
   - C: not joined to "-", "&", "'" or "+"/"#" ("C-suite", "C&I"), not an initial or an
     abbreviation ("D.C.", "C.V.", "Mary C. Jones"), and not after
     "Series", "Type", "Class", "Level", "Grade", "Tier", "Round", "Phase", "Part",
     "Section", "Schedule", "Vitamin", "USB" or "Zone" ("Series C funding", "Zone C: $159,900").
   - Go: only "Go" or "GO" in a list of languages or a language's context: after ",", "/",
     "(", "or", "and", "in", "like", "including", "e.g." or "such as", or before ",", "/",
     ")", " or", " and", "lang", "programming", "language", "developer", "code",
     "services"; never before "-" ("Go-to") or a verb's word ("go above and beyond",
     "Go ahead"); at the start of a sentence or a bullet only before ",", "/", ")",
     "programming" or "and"/"or" and a capitalised word ("• Go and Typescript").
     "Golang" always counts.
   - Julia: the same context rule as Go (Julia is also a first name).
   - Excel: not lowercase ("excel at"), and not before "at", "in", "as", "on", "with",
     "within", "beyond", "under", "through" or "while" ("Excel in a fast-paced team").
   - Spark: not lowercase ("spark innovation"), and when a lowercase word follows, only a
     word of Spark's own context ("Spark jobs", "Spark and Hadoop"; see SPARK_NEXT).
     "PySpark" and "Apache Spark" always count.
   - SAS: only "SAS", and not before "token", "URL", "key", "drive" or "SSD"
     (Azure's Shared Access Signature, Serial Attached SCSI).
   - AI: "AI" or "A.I." only (so "OpenAI", "Neptune.ai" and "ai" in an address do not count).
   - CV: not a résumé ("your CV", "a CV", "CV/resume", "CV and cover letter").
   - EDA: not electronic design automation ("EDA tools", "EDA software").
   - TF: not "TF-IDF".
5. Degrees: a degree term (kind "degree") counts only inside a degree phrase: a level
   (bachelor's, BS, BSc, master's, MS, MSc, MBA, PhD, doctorate, associate's, graduate or
   advanced degree...) or the word "degree"/"major", then "in" or "of", then the fields,
   up to the end of the clause; or a field name just before "degree" or "major"
   ("a Computer Science degree"). There, a name that is both a skill and a degree
   ("Statistics", "Machine Learning", "Math") is the degree only. The hit carries the
   levels the phrase gives ("MS/PhD in Statistics": master, doctorate).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rolecompare.textmatch_degrees import LEVELS as LEVELS
from rolecompare.textmatch_degrees import MAX_FIELDS as MAX_FIELDS
from rolecompare.textmatch_degrees import degree_spans
from rolecompare.textmatch_rules import RULES
from rolecompare.textmatch_rules import SPARK_NEXT as SPARK_NEXT

RULES_VERSION = "textmatch-1"
KINDS = ("skill", "tool", "degree")  # what Matcher.from_kb reads

# Characters between the words of a name that do not matter ("scikit-learn" = "scikit learn").
_SEP_CHARS = " \t\r\n\f\v-_/."
_SEP = r"[\s\-_/.]*"

# The names that match only as written and have a rule of their own (rule 4).
AMBIGUOUS = frozenset(
    {"r", "c", "go", "julia", "excel", "spark", "sas", "ai", "a.i.", "cv", "eda", "tf"}
)


@dataclass(frozen=True)
class Hit:
    """One mention: the term's id and kind, where it is, the text as written, and for a
    degree the levels its phrase gives (empty when it gives none)."""

    term: str
    kind: str
    start: int
    end: int
    text: str
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Degree:
    """One degree phrase: where it is, its levels in the order written (may be empty:
    "degree in Statistics"), and the degree terms among its fields (may be empty)."""

    start: int
    end: int
    text: str
    levels: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class _Name:
    term: str
    kind: str
    written: str  # as the KB writes it, for the case-sensitive rules
    exact: bool  # case-sensitive
    rule: str  # "" or a key of AMBIGUOUS


def fold(name: str) -> str:
    """A name as the matcher compares it: casefolded, without spacing or the
    punctuation between words (" -_/.")."""
    out = name.casefold()
    for ch in _SEP_CHARS:
        out = out.replace(ch, "")
    return out


def _variants(name: str, kind: str) -> list[str]:
    """The name, and for a skill its plural or singular ("algorithm" for "Algorithms")."""
    out = [name]
    last = re.split(r"[\s\-_/.]+", name)[-1]
    if kind == "skill" and len(last) >= 4 and last.isalpha() and not last.isupper():
        if last.endswith("s") and not last.endswith("ss"):
            out.append(name[:-1])
        else:
            out.append(name + "s")
    return out


class Matcher:
    """Finds terms in text; build it once per vocabulary (see the module docstring)."""

    def __init__(self, names: Mapping[str, list[_Name]]) -> None:
        self._names = names
        written = sorted({n.written for ns in names.values() for n in ns})
        self._pattern = _compile(written)  # for text lowercased
        self._written = written
        self._any: re.Pattern[str] | None = None  # for a text whose lowercase changes length

    def _finder(self, text: str) -> tuple[re.Pattern[str], str]:
        low = text.lower()
        if len(low) == len(text):
            return self._pattern, low
        if self._any is None:
            self._any = _compile(self._written, re.IGNORECASE)
        return self._any, text

    @classmethod
    def from_terms(cls, terms: Iterable[Mapping[str, Any]]) -> Matcher:
        """A matcher for these terms (each with id, name, kind and aliases)."""
        names: dict[str, list[_Name]] = {}
        for term in terms:
            kind = term["kind"]
            for written in dict.fromkeys([term["name"], *term.get("aliases", [])]):
                for variant in _variants(written, kind):
                    key = fold(variant)
                    if not key:
                        continue
                    rule = fold(written) if fold(written) in AMBIGUOUS else ""
                    if written == "A.I.":
                        rule = "ai"
                    exact = bool(rule) or len(key) <= 2
                    entry = _Name(term["id"], kind, variant, exact, rule)
                    found = names.setdefault(key, [])
                    if all((n.term, n.written) != (entry.term, entry.written) for n in found):
                        found.append(entry)
        return cls(names)

    @classmethod
    def from_kb(cls, kb: Mapping[str, Any]) -> Matcher:
        """A matcher for a KB's skills, tools and degrees."""
        return cls.from_terms(t for t in kb["terms"] if t["kind"] in KINDS)

    def degrees(self, text: str) -> list[Degree]:
        """Every degree phrase in the text, with its levels and the degree terms it names."""
        out: list[Degree] = []
        finder = self._finder(text)
        for span in degree_spans(text):
            start, end, levels = span
            fields = []
            for hit in self._scan(text, finder, start, end):
                if hit.kind == "degree" and hit.term not in fields:
                    fields.append(hit.term)
            out.append(Degree(start, end, text[start:end], levels, tuple(fields)))
        return out

    def find(self, text: str) -> list[Hit]:
        """Every mention in the text, in order (see the rules in the module docstring)."""
        spans = degree_spans(text)
        finder = self._finder(text)
        hits: list[Hit] = []
        pos = 0
        for start, end, levels in spans:
            hits += self._scan(text, finder, pos, start, degree=False)
            hits += [
                Hit(h.term, h.kind, h.start, h.end, h.text, levels)
                for h in self._scan(text, finder, start, end, degree=True)
            ]
            pos = end
        hits += self._scan(text, finder, pos, len(text), degree=False)
        return hits

    def ids(self, text: str) -> set[str]:
        """The ids of the terms the text mentions."""
        return {h.term for h in self.find(text)}

    def _scan(
        self,
        text: str,
        finder: tuple[re.Pattern[str], str],
        start: int,
        end: int,
        degree: bool | None = None,
    ) -> list[Hit]:
        """Hits in text[start:end]; degree=True resolves names to degrees where one fits,
        False leaves degrees out, None keeps only degrees (for `degrees`)."""
        hits: list[Hit] = []
        pattern, searched = finder
        for m in pattern.finditer(searched, start, end):
            written = text[m.start() : m.end()]
            candidates = [
                n
                for n in self._names.get(fold(written), [])
                if _allowed(n, written, text, m.start(), m.end())
            ]
            if degree is None or degree:
                as_degree = [n for n in candidates if n.kind == "degree"]
                if as_degree or degree is None:
                    candidates = as_degree
            else:
                candidates = [n for n in candidates if n.kind != "degree"]
            seen: set[str] = set()
            for n in candidates:
                if n.term not in seen:
                    seen.add(n.term)
                    hits.append(Hit(n.term, n.kind, m.start(), m.end(), written))
        return hits


def _compile(names: list[str], flags: int = 0) -> re.Pattern[str]:
    """One pattern of every name (lowercase), between word boundaries: a trie, so that
    each position of a text is tried once per first letter, not once per name; at each
    node the longer names come first, so the longest name that fits wins."""
    root: dict[str, Any] = {}
    for name in names:
        node = root
        for unit in _units(name):
            node = node.setdefault(unit, {})
        node[""] = {}
    return re.compile(rf"(?<![\w@])(?<!\w\.){_emit(root)}(?!\w)", flags)


def _units(name: str) -> list[str]:
    """A name's lowercase characters, with " " for any separators between its words; the
    words of a name written in camel case count as words ("MLOps" = "ML Ops")."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z]{2})(?=[A-Z][a-z])", " ", name)
    parts = [p for p in re.split(r"[\s\-_/.]+", spaced.lower()) if p]
    return list(" ".join(parts))


def _emit(node: dict[str, Any]) -> str:
    alternatives = [
        (_SEP if unit == " " else re.escape(unit)) + _emit(child)
        for unit, child in sorted(node.items())
        if unit
    ]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if len(alternatives) == 1 and len(body) > 1 and not body.startswith("(?:"):
        body = f"(?:{body})"
    return f"{body}?" if "" in node else body


def _allowed(name: _Name, written: str, text: str, start: int, end: int) -> bool:
    """Whether this occurrence counts (rules 3 and 4)."""
    if name.exact and not _same_case(name, written):
        return False
    if not name.rule:
        return True
    before = text[max(0, start - 30) : start]
    after = text[end : end + 30]
    return RULES[name.rule](written, before, after)


def _same_case(name: _Name, written: str) -> bool:
    if name.rule in ("go", "excel", "spark", "julia"):
        return written[0].isupper()  # Go or GO, Excel or EXCEL: never all lowercase
    if name.rule == "ai":
        return written in ("AI", "A.I")  # "A.I." (its last dot is the sentence's or stays)
    return _strip(written) == _strip(name.written)


def _strip(s: str) -> str:
    return "".join(ch for ch in s if ch not in _SEP_CHARS)
