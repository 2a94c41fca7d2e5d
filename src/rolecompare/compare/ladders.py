"""Career ladders: each source's ladders side by side, then the career statements.

Ladders whose steps the source names by the same levels (Entry-level, Mid-level, …) are
shown step by step, level beside level; any others whole, one ladder to a cell, so that
no step is set beside another merely because both are the n-th.
"""

from __future__ import annotations

from rolecompare.compare.report import Cell, Report, Row, Section
from rolecompare.compare.topics import compare, sources_of
from rolecompare.kb.types import KB, LadderData, RoleData


def career_paths(kb: KB, roles: list[RoleData]) -> Report:
    """Each source's ladders, step by step side by side, then the career statements."""
    ids = [r["id"] for r in roles]
    sections = []
    for source in kb["sources"]:
        ladders = {
            rid: ld
            for ld in kb["ladders"]
            if ld["source"] == source["id"]
            for rid in ld["roles"]
            if rid in ids
        }
        if not ladders:
            continue
        rows = [] if aligned(list(ladders.values())) else [_whole(ladders, ids, source["id"])]
        for i in range(max(len(ld["steps"]) for ld in ladders.values()) if not rows else 0):
            steps = {rid: ld["steps"][i] for rid, ld in ladders.items() if i < len(ld["steps"])}
            levels = {s["level"] for s in steps.values()}
            shared_level = levels.pop() if len(levels) == 1 else None
            cells = {}
            for rid in ids:
                step = steps.get(rid)
                if step is None:
                    cells[rid] = Cell()
                    continue
                titles = either(step["titles"])
                own = f"{step['level']}: " if step["level"] and not shared_level else ""
                cells[rid] = Cell((own + titles,), quotes=(ladders[rid]["quote"],))
            rows.append(Row(shared_level or f"Step {i + 1}", source["id"], cells))
        for label, key in (("Specializations", "specializations"), ("Can lead to", "leads_to")):
            cells = {rid: _ladder_list(ladders.get(rid), key) for rid in ids}
            if any(c.reported for c in cells.values()):
                rows.append(Row(label, source["id"], cells))
        sections.append(
            Section(f"ladder-{source['id']}", f"Career ladder ({source['publisher']})", rows)
        )
    rest = compare(kb, "path", roles)
    sections += rest.sections
    return Report("path", "Career paths", roles, sections, sources_of(kb, sections))


def aligned(ladders: list[LadderData]) -> bool:
    """The ladders name every step by a level, and by the same levels in the same order."""
    levels = [[step["level"] for step in ld["steps"]] for ld in ladders]
    return all(None not in lv for lv in levels) and all(lv == levels[0] for lv in levels)


def _whole(ladders: dict[str, LadderData], ids: list[str], source: str) -> Row:
    """One row holding each role's whole ladder, first step to last."""
    cells = {}
    for rid in ids:
        ld = ladders.get(rid)
        if ld is None:
            cells[rid] = Cell()
            continue
        steps = [
            (f"{st['level']}: " if st["level"] else "") + either(st["titles"]) for st in ld["steps"]
        ]
        cells[rid] = Cell((" → ".join(steps),), quotes=(ld["quote"],))
    return Row("Whole ladder", source, cells)


def either(titles: list[str]) -> str:
    """Join titles as people write them: "A, B or C"."""
    return " or ".join([", ".join(titles[:-1]), titles[-1]] if len(titles) > 2 else titles)


def _ladder_list(ladder: LadderData | None, key: str) -> Cell:
    """A ladder's specializations or next roles as one cell."""
    if ladder is None:
        return Cell()
    items = ladder["specializations"] if key == "specializations" else ladder["leads_to"]
    return Cell(tuple(items), quotes=(ladder["quote"],)) if items else Cell()
