"""The table as a picture: an SVG of what a colour terminal 100 columns wide shows."""

from __future__ import annotations

from typing import IO

from rolecompare.compare.report import Listing, Report


def write(obj: Report | Listing, out: IO[str], details: bool = False) -> None:
    from rolecompare.render.table import to_svg

    out.write(to_svg(obj, details=details))
