"""The context rules of textmatch's ambiguous names (rule 4 of its docstring): each looks at
up to 30 characters before and after a candidate and says whether it counts."""

from __future__ import annotations

import re

_GO_BEFORE = re.compile(
    r"(?:[,/(:]|\bor|\band|\bin|\blike|\bincluding|\be\.g\.|\bsuch as|\bwith)\s*$"
)


_GO_AFTER = re.compile(
    r"^(?:\s*[,/);]|\s+(?:or|and)\b|\s*(?:lang|programming|language|developer|code|services)\b)"
)


_GO_NOT_AFTER = re.compile(
    r"^\s+(?:ahead|to|beyond|above|back|far|live|out|through|get|deeper|further|home|big"
    r"|the|a|an|on|off|over|up|down|into|with|for|extra|fast|forward|and\s+(?:see|get|make))\b",
    re.IGNORECASE,
)


_GO_AFTER_START = re.compile(
    r"^(?:\s*[,/)]|\s*(?:lang|programming|language)\b|\s+(?:and|or)\s+[A-Z])"
)


_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*(?:[-*•·]\s*)?)$")


_SERIES = re.compile(
    r"\b(?:series|type|class|level|grade|tier|round|phase|part|section|schedule|vitamin|usb|zone)"
    r"\s+$",
    re.IGNORECASE,
)


_EXCEL_VERB = re.compile(
    r"^\s+(?:at|in|as|on|with|within|beyond|under|through|while)\b", re.IGNORECASE
)


SPARK_NEXT = frozenset(
    {
        "and",
        "or",
        "is",
        "are",
        "jobs",
        "job",
        "cluster",
        "clusters",
        "applications",
        "application",
        "pipelines",
        "pipeline",
        "ecosystem",
        "streaming",
        "experience",
        "framework",
        "frameworks",
        "based",
        "knowledge",
        "programming",
        "development",
        "skills",
        "code",
        "sql",
        "ml",
        "mllib",
        "dataframes",
        "environment",
        "environments",
        "workloads",
        "platform",
        "etc",
        "preferred",
    }
)


_NEXT_WORD = re.compile(r"^\s+([a-z][\w]*)")


_SAS_NOT = re.compile(r"^\s*(?:tokens?|urls?|keys?|drives?|ssds?)\b", re.IGNORECASE)


_CV_RESUME_BEFORE = re.compile(
    r"\b(?:your|a|an|updated|our|my|his|her|their)\s+$|(?:resume|résumé)\s*(?:/|or|and)\s*$",
    re.IGNORECASE,
)


_CV_RESUME_AFTER = re.compile(
    r"^\s*(?:/|or|and)?\s*(?:resume|résumé|cover\s+letter)", re.IGNORECASE
)


_EDA_NOT = re.compile(r"^\s*(?:tools?|software|flows?|vendors?)\b", re.IGNORECASE)


_INITIAL_BEFORE = re.compile(r"\b[A-Z][a-z]+\s$")


_INITIAL_AFTER = re.compile(r"^\.(?:[\w.]|\s+[A-Z][a-z]+\b(?!\s*[,:]))")


def _initial(before: str, after: str) -> bool:
    """Whether a letter and a dot are an initial or an abbreviation ("J. R. Smith", "R.J.",
    "C.V."), not a language that ends a sentence ("using Python or R.")."""
    if not after.startswith("."):
        return False
    return bool(re.match(r"^\.[\w.]", after)) or bool(
        _INITIAL_BEFORE.search(before) and _INITIAL_AFTER.search(after)
    )


def _rule_r(written: str, before: str, after: str) -> bool:
    if after[:1] in ("&", "-", "'", "’") or before[-1:] in ("&", "-", "'", "’", "."):
        return False
    if _initial(before, after):
        return False
    if after.lstrip().startswith("…"):  # "R …Resilient": a letter of an acronym
        return False
    return not (before.endswith("(") and after.startswith(")") and before[-2:-1].isalnum())


def _rule_c(written: str, before: str, after: str) -> bool:
    if after[:1] in ("-", "&", "'", "’", "+", "#") or before[-1:] in ("-", "&", "."):
        return False
    if _initial(before, after):
        return False
    return not _SERIES.search(before)


def _listed(before: str, after: str) -> bool:
    """Whether a name stands in a list or a language's context (the Go and Julia rule)."""
    if after.startswith("-") or _GO_NOT_AFTER.search(after):
        return False
    if _SENTENCE_START.search(before):  # "Go ahead", "Go and see"; "Go, Python" counts
        return bool(_GO_AFTER_START.search(after))
    return bool(_GO_BEFORE.search(before) or _GO_AFTER.search(after))


def _rule_go(written: str, before: str, after: str) -> bool:
    return written.casefold() == "golang" or (written in ("Go", "GO") and _listed(before, after))


def _rule_julia(written: str, before: str, after: str) -> bool:
    return _listed(before, after)


def _rule_excel(written: str, before: str, after: str) -> bool:
    return not _EXCEL_VERB.search(after)


def _rule_spark(written: str, before: str, after: str) -> bool:
    if written.casefold() in ("pyspark", "apachespark") or " " in written:
        return True
    nxt = _NEXT_WORD.search(after)
    return nxt is None or nxt.group(1) in SPARK_NEXT


def _rule_sas(written: str, before: str, after: str) -> bool:
    return not _SAS_NOT.search(after)


def _rule_ai(written: str, before: str, after: str) -> bool:
    return True  # the case rule does it


def _rule_cv(written: str, before: str, after: str) -> bool:
    return not (_CV_RESUME_BEFORE.search(before) or _CV_RESUME_AFTER.search(after))


def _rule_eda(written: str, before: str, after: str) -> bool:
    return not _EDA_NOT.search(after)


def _rule_tf(written: str, before: str, after: str) -> bool:
    return not after.casefold().startswith("-idf")


RULES = {
    "r": _rule_r,
    "c": _rule_c,
    "go": _rule_go,
    "julia": _rule_julia,
    "excel": _rule_excel,
    "spark": _rule_spark,
    "sas": _rule_sas,
    "ai": _rule_ai,
    "cv": _rule_cv,
    "eda": _rule_eda,
    "tf": _rule_tf,
}
