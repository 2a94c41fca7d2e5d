"""`check`'s JSON document (docs/json.md, "check"): the role read, its reasons, the shares
of each item asked, what was left out or rare, and what was read of degrees and pay."""

from __future__ import annotations

from typing import Any

from rolecompare.compare.check import Draft, Reading, Share, Shares, rare, reasons
from rolecompare.kb.types import RoleData, TermData


def data(
    draft: Draft,
    role: RoleData,
    why: str,
    reading: Reading,
    titled: list[RoleData],
    table: Shares,
    terms: dict[str, TermData],
    left: list[Share],
) -> dict[str, Any]:
    """The JSON document's "check" member (docs/json.md, "check")."""
    rid = role["id"]
    read = reading.role["id"] if reading.role else None
    return {
        "role": rid,
        "role_because": why,
        "reads_like": read,
        "scores": reading.scores,
        "reasons": [
            {"item": g.item, "source": g.source, "shares": g.values} for g in reasons(reading)
        ],
        "title": draft.title,
        "title_roles": [r["id"] for r in titled],
        "title_agrees": None if len(titled) != 1 or read is None else titled[0]["id"] == read,
        "items": [
            {
                "item": i,
                "name": terms[i]["name"],
                "kind": terms[i]["kind"],
                "shares": _shares_data(table, rid, i),
            }
            for i in draft.asked
        ],
        "left_out": [_share_data(s) for s in left],
        "rare": [_share_data(s) for s in rare(table, rid, draft.asked)],
        **draft_data(draft),
    }


def _share_data(s: Share) -> dict[str, Any]:
    return {"item": s.item, "source": s.source, "percent": s.value}


def _shares_data(table: Shares, rid: str, item: str) -> list[dict[str, Any]]:
    return [
        {"source": s.source, "percent": s.value, "k": s.cell.k, "n": s.cell.n}
        for s in table.get((rid, item), {}).values()
    ]


def draft_data(draft: Draft) -> dict[str, Any]:
    """What was read of the draft's degrees and pay, and what it could not read."""
    return {
        "degrees": [
            {"text": d.text, "levels": list(d.levels), "fields": list(d.fields)}
            for d in draft.degrees
        ],
        "pay": [
            {
                "text": p.text,
                "low": p.low,
                "high": p.high,
                "currency": p.currency or None,
                "period": p.period or None,
            }
            for p in draft.pay
        ],
        "unread": draft.unread(),
    }
