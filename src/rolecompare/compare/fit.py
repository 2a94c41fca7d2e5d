"""How well a person's skills fit each role: matching what they name, and what each
role's sources name for it. The score is measured from postings (compare/fitscore.py,
compare/fitreport.py): no weight is invented.

What a role asks for (`named_items`): every skill, tool and degree that has a
posting-mention share for it (topics shown by skills, tools and education), and every
one named by its statements in topics that list requirements (`requirements = true` in
the vocabulary: job-specific skills, toolsets, education and background). `fit` scores
only what the posting profiles measure; the rest is "also named by the articles".

Reading a text (`gather_words`, `--file`): the KB's free-text reader
(rolecompare.textmatch) finds the skills, tools and degrees it names; a --have word that
names nothing is a warning ("not recognised (ignored)", with the nearest names), or with
--strict a usage error.

Matching (`match_terms`): names are folded (case, spaces, dashes) and matched
against each skill's, tool's and degree's id, name and aliases. A word that names
a skill and a degree ("statistics", "ML", "math") counts for both, and the output
says so; "X degree" or "degree in X" means only the degree. Several names may
share one value, separated by commas or by spaces: the longest known name wins
("deep learning sql" is Deep learning and SQL). A name that is no entry's name
matches every tool whose name holds it as whole words, case ignored (`words_of`):
"sql" is Microsoft SQL Server and Structured query language SQL, "aws" Amazon Web
Services AWS software, "excel" Microsoft Excel, "spark" Apache Spark (but not
MySQL or PostgreSQL: there it is no whole word); the output says what it matched.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from rolecompare.compare.report import Listing, Record
from rolecompare.compare.topics import sources_named
from rolecompare.errors import UsageError
from rolecompare.kb.types import (
    KB,
    FigureData,
    TermData,
    fold,
    suppressed,
)
from rolecompare.text import cut as shortened

REQUIREMENT_COMMANDS = ("skills", "tools", "education")
REQUIREMENT_KINDS = ("skill", "tool", "degree")
HAVE_EXAMPLE = '--have python,sql,statistics or --have "python sql deep learning"'
MAX_WORDS = 8  # the longest name tried when splitting a value on spaces
MAX_MISSES = 5  # unknown words named in the message: it stays one readable line


@dataclass(frozen=True)
class Unmatched:
    given: str
    suggestions: list[str]


@dataclass(frozen=True)
class Word:
    """One name the person gave (or their text named) and the KB entries it matched."""

    given: str
    terms: list[TermData]
    origin: str = "--have"  # or "--file": read from the person's text


def measured(kb: KB, role_id: str, weighed: bool = True) -> list[FigureData]:
    """The role's posting-mention shares of skills, tools and degrees (skills, tools and
    education topics): what fit weighs and plan ranks. What fit weighs (weighed) leaves
    out a share of 0%, which asks for nothing, and a value O*NET recommends suppressing
    (Recommend Suppress = Y), which weighs nothing; plan shows both as they are."""
    topics = {t["id"] for t in kb["topics"] if t["command"] in REQUIREMENT_COMMANDS}
    kinds = {t["id"]: t["kind"] for t in kb["terms"]}
    return [
        fig
        for fig in kb["figures"]
        if role_id in fig["roles"]
        and fig["topic"] in topics
        and fig["percent"] is not None
        and (not weighed or (fig["percent"] > 0 and not suppressed(fig)))
        and kinds[fig["item"]] in REQUIREMENT_KINDS
    ]


def named_items(kb: KB, role_id: str) -> dict[str, set[str]]:
    """Item id -> the ids of the sources that name it for the role: by a share in the
    skills, tools or education topics, or in a statement of a topic that lists
    requirements."""
    kinds = {t["id"]: t["kind"] for t in kb["terms"]}
    named: dict[str, set[str]] = {}
    for fig in measured(kb, role_id):
        named.setdefault(fig["item"], set()).add(fig["source"])
    listing = {t["id"] for t in kb["topics"] if t["requirements"]}
    for st in kb["statements"]:
        if role_id in st["roles"] and st["topic"] in listing:
            for term in st["terms"]:
                if kinds[term] in REQUIREMENT_KINDS:
                    named.setdefault(term, set()).add(st["source"])
    return named


def official_voice(kb: KB, role_ids: list[str]) -> str | None:
    """Who asks, in words: None where the roles' requirements come from posting data
    (some source behind them does not report on official occupations); else the
    official sources' short names ("O*NET"), whose data are no postings."""
    used: set[str] = set()
    for rid in role_ids:
        for sources_of_item in named_items(kb, rid).values():
            used |= sources_of_item
    sources = sources_named(kb, used)
    if not sources or not all(s["per_occupation"] for s in sources):
        return None
    return " and ".join(s["short"] or s["publisher"] for s in sources)


def asked_for(name: str, voice: str | None) -> str:
    """ "Statisticians postings ask for", or on official data "O*NET lists for Statisticians"."""
    return f"{name} postings ask for" if voice is None else f"{voice} lists for {name}"


def vocabulary(kb: KB) -> dict[str, list[TermData]]:
    """Folded name -> the skills, tools and degrees it names (one name may fit several)."""
    by_name: dict[str, list[TermData]] = {}
    for term in kb["terms"]:
        if term["kind"] in REQUIREMENT_KINDS:
            for name in {fold(n) for n in (term["id"], term["name"], *term["aliases"])}:
                by_name.setdefault(name, []).append(term)
    return by_name


def words_of(name: str) -> tuple[str, ...]:
    """A name's words, lower case: letters and digits, with + and # ("C++", "C#")."""
    return tuple(re.findall(r"[a-z0-9+#]+", name.casefold()))


def tools_naming(tools: list[tuple[tuple[str, ...], TermData]], phrase: str) -> list[TermData]:
    """The tools whose names hold the phrase's words, in order, as whole words."""
    want = words_of(phrase)
    n = len(want)
    if not want:
        return []
    return [
        term
        for words, term in tools
        if any(words[i : i + n] == want for i in range(len(words) - n + 1))
    ]


def _lookup(
    by_name: dict[str, list[TermData]],
    phrase: str,
    tools: list[tuple[tuple[str, ...], TermData]] | None = None,
) -> list[TermData]:
    """The entries a phrase names; "X degree" / "degree in X" names only degrees; else
    the tools whose names hold it as whole words (the module's "Matching")."""
    key = fold(phrase)
    if key in by_name:
        return by_name[key]
    for cut in ("degreein", "degreeof", "degrees", "degree"):
        if cut in key:
            rest = key.replace(cut, "", 1)
            degrees = [t for t in by_name.get(rest, []) if t["kind"] == "degree"]
            if rest and degrees:
                return degrees
    return tools_naming(tools, phrase) if tools else []


def match_terms(kb: KB, given: list[str]) -> tuple[list[Word], list[Unmatched]]:
    """What each name the person gave matched (see the module's "Matching")."""
    by_name = vocabulary(kb)
    tools = [(words_of(t["name"]), t) for t in kb["terms"] if t["kind"] == "tool"]
    words: list[Word] = []
    unmatched: list[Unmatched] = []
    for raw in given:
        terms = _lookup(by_name, raw, tools)
        if terms:
            words.append(Word(raw.strip(), terms))
            continue
        tokens = raw.split()
        unknown: list[str] = []
        i = 0
        while i < len(tokens):
            for j in range(min(len(tokens), i + MAX_WORDS), i, -1):
                phrase = " ".join(tokens[i:j])
                terms = _lookup(by_name, phrase, tools)
                if terms:
                    words.append(Word(phrase, terms))
                    i = j
                    break
            else:
                unknown.append(tokens[i])
                i += 1
        if unknown:
            key = fold(" ".join(unknown))
            close = difflib.get_close_matches(key, list(by_name), n=3, cutoff=0.6)
            unmatched.append(
                Unmatched(" ".join(unknown), sorted({by_name[c][0]["name"] for c in close}))
            )
    return words, unmatched


def parse_have(have: list[str] | None, text_too: bool = False) -> list[str]:
    """Every --have value, split on commas (spaces are split by match_terms); none is a
    usage error unless a text (--file) is read too."""
    names = [h.strip() for value in have or [] for h in value.split(",") if h.strip()]
    if not names and not text_too:
        raise UsageError(
            f"--have or --file needs at least one skill, tool or degree (e.g. {HAVE_EXAMPLE}, "
            "or --file cv.txt)"
        )
    return names


def matched_or_exit(kb: KB, names: list[str]) -> list[Word]:
    """The words' matches, or a usage error naming every unknown word (as --strict does)."""
    words, unmatched = match_terms(kb, names)
    if unmatched:
        raise UsageError("\n".join(unrecognised(unmatched, strict=True)))
    return words


def unrecognised(unmatched: list[Unmatched], strict: bool = False) -> list[str]:
    """A line per word --have did not recognise, with the nearest names (at most
    MAX_MISSES of them, then how many more): a warning, or with --strict the error."""
    head = "not recognised" if strict else "not recognised (ignored)"
    lines = [
        f"{head}: {shortened(m.given)!r}"
        + (
            f"; nearest: {', '.join(m.suggestions)}"
            if m.suggestions
            else "; `rolecompare fit --list` shows every name"
        )
        for m in unmatched[:MAX_MISSES]
    ]
    if len(unmatched) > MAX_MISSES:
        lines.append(f"{head}: and {len(unmatched) - MAX_MISSES:,} more")
    if strict and lines:
        lines[-1] += f" (--strict; separate names with commas or spaces, e.g. {HAVE_EXAMPLE})"
    return lines


def gather_words(
    kb: KB, names: list[str], text: str | None = None, strict: bool = False
) -> tuple[list[Word], list[str]]:
    """The words of --have and the terms a text (--file) names, and a warning line per
    word --have did not recognise (with strict, those are a usage error instead). A term
    both give is listed once, as --have gave it."""
    words, unmatched = match_terms(kb, names)
    if unmatched and strict:
        raise UsageError("\n".join(unrecognised(unmatched, strict=True)))
    if text is not None:
        from rolecompare.textmatch import Matcher

        terms = {t["id"]: t for t in kb["terms"]}
        seen = have_ids(words)
        for hit in Matcher.from_kb(kb).find(text):
            if hit.term not in seen:
                seen.add(hit.term)
                words.append(Word(hit.text, [terms[hit.term]], "--file"))
    return words, unrecognised(unmatched)


def have_ids(words: list[Word]) -> set[str]:
    return {t["id"] for w in words for t in w.terms}


def word_notes(words: list[Word]) -> list[str]:
    """What each word matched, one line for all: `"statistics" = Statistical analysis
    (skill) + Statistics (degree)`; then what the text (--file) named, one line."""
    read = [w for w in words if w.origin == "--file"]
    words = [w for w in words if w.origin != "--file"]
    notes = []
    if read:
        named = ", ".join(f"{t['name']} ({t['kind']})" for w in read for t in w.terms)
        notes.append(f"Read from the text (--file): {named}.")
    if not words:
        return notes or ["Nothing matched: no skill, tool or degree was recognised."]
    parts = [
        f'"{w.given}" = ' + " + ".join(f"{t['name']} ({t['kind']})" for t in w.terms) for w in words
    ]
    both = [w.given for w in words if len({t["kind"] for t in w.terms}) > 1]
    note = "Matched: " + "; ".join(parts) + "."
    if both:
        names = ", ".join(f'"{b}"' for b in both)
        verb = "names" if len(both) == 1 else "each name"
        note += (
            f" {names} {verb} a skill and a degree, so it counts for both"
            f' (write "{both[0]} degree" for the degree alone).'
        )
    return [note, *notes]


def words_data(words: list[Word]) -> list[dict[str, Any]]:
    return [
        {
            "word": w.given,
            "from": w.origin,
            "matched": [{"item": t["id"], "name": t["name"], "kind": t["kind"]} for t in w.terms],
        }
        for w in words
    ]


def term_list(kb: KB) -> Listing:
    """Every skill, tool and degree `--have` knows, with its aliases and what else its
    names match."""
    by_name = vocabulary(kb)
    rows: list[Record] = []
    for kind in REQUIREMENT_KINDS:
        for term in sorted(
            (t for t in kb["terms"] if t["kind"] == kind), key=lambda t: t["name"].casefold()
        ):
            names = {fold(n) for n in (term["id"], term["name"], *term["aliases"])}
            also = sorted(
                {
                    f"{o['name']} ({o['kind']})"
                    for n in names
                    for o in by_name[n]
                    if o["id"] != term["id"]
                }
            )
            rows.append(
                {
                    "kind": kind,
                    "id": term["id"],
                    "name": term["name"],
                    "aliases": list(term["aliases"]),
                    "also_matches": also,
                }
            )
    return Listing(
        "fit",
        "Skills, tools and degrees that --have knows",
        ["kind", "id", "name", "aliases", "also_matches"],
        rows,
        "grouped",
        shown="name",
        note="Case, spacing and dashes don't matter. Each also has an id and may have "
        "aliases (k8s, sklearn): `rolecompare fit --list --format csv` lists them.",
    )
