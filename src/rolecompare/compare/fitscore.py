"""Fit measured from postings: for one analysis and role, how much of what each posting
asks for a person has (the posting profiles, rolecompare.kb.profiles).

Only a posting's known terms count: the vocabulary's skills, tools and degrees in its
skills list (every other listed skill is unknown to the KB, so no one can be said to
have it). A posting with no known term is left out of both measures, and counted.

- At least half: the postings whose known terms you have at least half of, as k of the
  postings with a known term (an exact share, with its 95% interval where shown).
- Average: the mean, over those postings, of the share of a posting's known terms you
  have (an exact fraction).
- Learn next: each missing term by how many more postings you would have at least half
  of with it, then by how much the average would rise, then by how many of the role's
  postings ask for it (never by name: a tie left after that keeps the KB's term order).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from rolecompare.kb.profiles import Profile

LEARN_NEXT = 10


@dataclass(frozen=True)
class Gain:
    """What one missing term would add, in one analysis."""

    term: str
    half: int  # postings newly at least half covered
    average: Fraction  # rise of the average share (0-1)
    k: int  # the role's postings that ask for it


@dataclass(frozen=True)
class Measure:
    """One role's fit in one analysis."""

    source: str
    role: str
    n: int  # the role's postings
    known: int  # those with at least one known term: the base of both measures
    half: int  # of known: the postings whose known terms you have at least half of
    average: Fraction  # mean share of a posting's known terms you have (0-1)
    have: tuple[tuple[str, int], ...]  # your terms its postings ask for: (term, k), most first
    learn: tuple[Gain, ...]  # skills and tools, best first, at most LEARN_NEXT
    degrees: tuple[Gain, ...] = ()  # the degrees its postings list that you lack, best first

    @property
    def unknown(self) -> int:
        """The postings left out: their lists hold no known term."""
        return self.n - self.known


def measure(
    profile: Profile,
    have: set[str],
    order: dict[str, int],
    learnable: set[str],
    degrees: frozenset[str] = frozenset(),
) -> Measure:
    """The fit of have against one profile; learnable: the terms Learn next may name
    (degrees: those listed apart, ranked alike); order: each term's place in the KB (the
    last tie-break, never the alphabet)."""
    scale, known, half, total, gain_half, gain_sum = _tally(profile, have)
    base = scale * known or 1
    average = Fraction(total, base)
    gains = [
        Gain(t, gain_half.get(t, 0), Fraction(g, base), profile.share(t)[0])
        for t, g in gain_sum.items()
        if t in learnable or t in degrees
    ]
    gains.sort(key=lambda g: (-g.half, -g.average, -g.k, order.get(g.term, len(order))))
    mine = sorted(
        ((t, profile.share(t)[0]) for t in have if profile.share(t)[0]),
        key=lambda tk: (-tk[1], order.get(tk[0], len(order))),
    )
    return Measure(
        profile.source,
        profile.role,
        profile.n,
        known,
        half,
        average,
        tuple(mine),
        tuple([g for g in gains if g.term in learnable][:LEARN_NEXT]),
        tuple(g for g in gains if g.term in degrees),
    )


_Tally = tuple[int, int, int, int, dict[str, int], dict[str, int]]


def _tally(profile: Profile, have: set[str]) -> _Tally:
    """One pass over the sets, in integers (every count/size scaled by the lcm of the
    sizes, so that every share stays exact): the scale, the postings with a known term,
    those at least half yours, the scaled sum of your shares, and per missing term the
    postings it would make half yours and the scaled rise of the sum."""
    scale = math.lcm(*(len(terms) for _, terms in profile.sets if terms)) or 1
    known = half = total = 0
    gain_half: dict[str, int] = {}
    gain_sum: dict[str, int] = {}
    for count, terms in profile.sets:
        size = len(terms)
        if not size:
            continue
        got = len(terms & have)
        known += count
        if 2 * got >= size:
            half += count
        total += count * got * (scale // size)
        newly = 2 * got < size <= 2 * (got + 1)
        for term in terms - have:
            if newly:
                gain_half[term] = gain_half.get(term, 0) + count
            gain_sum[term] = gain_sum.get(term, 0) + count * (scale // size)
    return scale, known, half, total, gain_half, gain_sum
