"""`verify --sources` for counted figures: count each dataset again and compare.

Each counted figure names its dataset file (inside the sources folder), the file's
sha256 and the rules it was counted by. A file whose sha256 differs is refused; every
other difference in k, N or a percentile is one problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolecompare.errors import RoleCompareError
from rolecompare.importers.postings import (
    RULES,
    TEXT_RULES,
    Analysis,
    Options,
    check_input,
    sha256_of,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rolecompare.kb.profiles import Profile

Counted = tuple[str, str, tuple[str | int, ...], dict[str, Any], Any]
Found = tuple[str, str, tuple[str | int, ...], str]
# (dataset file, country, year, text column) -> the file counted again, or why it was not
Counts = dict[tuple[str, str | None, str | None, str | None], "Analysis | str"]


def recount(
    kb_dir: Path, sources_dir: Path, figures: list[Counted], counts: Counts | None = None
) -> list[Found]:
    """A problem for each counted figure that its dataset, counted again, does not give."""
    from rolecompare.importers import postings_sql
    from rolecompare.kb.load import validate_dir

    kb = validate_dir(kb_dir)
    problems: list[Found] = []
    counts = {} if counts is None else counts
    for file, text, at, fact, doc in figures:
        counted = fact["counted"]
        where = counted.get("where", {})
        if counted.get("rule") not in (RULES, TEXT_RULES):
            problems.append(
                (
                    file,
                    text,
                    (*at, "counted", "rule"),
                    f"counted by rules {counted.get('rule')}; this rolecompare counts by {RULES}",
                )
            )
            continue
        # The source's document as verify found it (by its content, whatever its name),
        # which is the dataset an import counted.
        found = getattr(doc, "rel", None) if not getattr(doc, "folder", True) else None
        rel = found or counted["file"]
        key = (rel, where.get("country"), where.get("year"), where.get("text"))
        if key not in counts:
            path = sources_dir / rel
            try:
                check_input(path)
                digest = sha256_of(path)
                if digest != counted["sha256"]:
                    counts[key] = (
                        f"{counted['file']}: its sha256 is {digest}, not the recorded "
                        f"{counted['sha256']}: refusing to count a different file"
                    )
                else:
                    columns = {} if key[3] is None else {"text": key[3]}
                    options = Options(columns=columns, country=key[1], year=key[2])
                    counts[key] = postings_sql.count(path, kb, options)
            except RoleCompareError as exc:
                counts[key] = exc.message
        got = counts[key]
        if isinstance(got, str):
            problems.append((file, text, (*at, "counted", "file"), got))
            continue
        if "share" in fact and got.rule != counted["rule"]:  # pay reads no text
            problems.append(
                (
                    file,
                    text,
                    (*at, "counted", "rule"),
                    f"counted by rules {counted['rule']}; counted again, the file gives {got.rule}",
                )
            )
            continue
        problems += _compare(file, text, at, fact, got)
    return problems


def _compare(
    file: str, text: str, at: tuple[str | int, ...], fact: dict[str, Any], got: Analysis
) -> list[Found]:
    where = fact["counted"].get("where", {})
    role = where.get("role", "")
    out: list[Found] = []
    if "share" in fact:
        term = where.get("term", "")
        k = got.shares.get(role, {}).get(term, 0)
        n = got.per_role.get(role, 0)
        for name, recorded, now in (("k", fact["share"]["k"], k), ("n", fact["share"]["n"], n)):
            if recorded != now:
                out.append(
                    (
                        file,
                        text,
                        (*at, "share", name),
                        f"{role} {term}: {name} is {recorded:,} here but {now:,} "
                        "counted from the file",
                    )
                )
        return out
    level = where.get("level")
    pay = next((p for p in got.pay if p.role == role and p.level == level), None)
    if pay is None:
        return [(file, text, (*at, "pay"), f"{role}: the file gives no such pay figure")]
    for name in ("n", "p10", "p25", "median", "p75", "p90"):
        recorded, now = fact["pay"][name], getattr(pay, name)
        if recorded != now:
            out.append(
                (
                    file,
                    text,
                    (*at, "pay", name),
                    f"{role}: {name} is {recorded:,} here but {now:,} counted from the file",
                )
            )
    return out


def recount_profiles(
    kb_dir: Path, sources_dir: Path, counts: Counts, locate: Callable[[str, str], str]
) -> list[Found]:
    """One problem for each posting profile that its dataset, counted again, does not give
    (reusing the counts recount made); locate(file, sha256) finds the dataset in the sources
    folder by its content, whatever its name."""
    from rolecompare.importers import postings_sql
    from rolecompare.kb.load import validate_dir
    from rolecompare.kb.profiles import load_profiles

    kb = validate_dir(kb_dir)
    problems: list[Found] = []
    for profile in load_profiles(kb, kb_dir):
        rel = locate(profile.file, profile.sha256)
        key = (rel, None, None, None)
        got = next((v for k, v in counts.items() if k[0] == rel and k[3] is None), None)
        if got is None:
            path = sources_dir / rel
            try:
                check_input(path)
                digest = sha256_of(path)
                if digest != profile.sha256:
                    got = (
                        f"{profile.file}: its sha256 is {digest}, not the recorded "
                        f"{profile.sha256}: refusing to count a different file"
                    )
                else:
                    got = postings_sql.count(path, kb, Options())
            except RoleCompareError as exc:
                got = exc.message
            counts[key] = got
        why = got if isinstance(got, str) else _profile_difference(profile, got)
        if why:
            problems.append((profile.path, "", ("sets",), why))
    return problems


def _profile_difference(profile: Profile, got: Analysis) -> str:
    """What differs between a profile and its role's postings counted again ("": none)."""
    role = f"{profile.role}: "
    if got.rule != profile.rule:
        return f"{role}counted by rules {profile.rule}; counted again, the file gives {got.rule}"
    again = got.profiles.get(profile.role)
    n = got.per_role.get(profile.role, 0)
    if again is None or n != profile.n:
        return f"{role}N is {profile.n:,} here but {n:,} counted from the file"
    if dict(profile.listed) != again.listed:
        return f"{role}the list lengths differ from those counted from the file"
    sets = [(c, frozenset(t)) for c, t in again.sets]
    if list(profile.sets) != sets:
        first = next(
            (i for i, (a, b) in enumerate(zip(profile.sets, sets, strict=False)) if a != b),
            min(len(sets), len(profile.sets)),
        )
        return (
            f"{role}the sets of terms differ from those counted from the file, from "
            f"sets[{first}] on ({len(profile.sets):,} sets here, {len(sets):,} counted)"
        )
    return ""
