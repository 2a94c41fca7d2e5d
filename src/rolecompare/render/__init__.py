"""Reports to text, one module per format; this registry is what --format offers.

Only table.py imports Rich. Every format renders the same report, so they cannot
disagree. Text formats get a copy of the report in which every string from the
KB is made safe to show (rolecompare.text); JSON keeps the original, escaped.
"""

from __future__ import annotations

import importlib
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # the registry is read by --help and completion: keep it light
    from rolecompare.compare.report import Listing, Report

# --format value -> the module that writes it (imported only when used).
FORMATS = {
    "table": "rolecompare.render.table",
    "json": "rolecompare.render.json",
    "csv": "rolecompare.render.csv",
    "markdown": "rolecompare.render.markdown",
    "svg": "rolecompare.render.svg",
}
ALIASES = {"md": "markdown"}


def format_name(value: str) -> str | None:
    """The registry's name for a --format value (any case, aliases too), or None."""
    name = value.strip().lower()
    name = ALIASES.get(name, name)
    return name if name in FORMATS else None


def emit(
    obj: Report | Listing,
    fmt: str,
    out: IO[str] | None = None,
    details: bool = False,
    pager: bool = False,
) -> None:
    """Write obj to out (stdout) in the chosen format; a table through the pager if asked
    (only a terminal is ever paged)."""
    from rolecompare.render.layout import tolerate_encoding
    from rolecompare.render.wording import made_safe

    out = out or sys.stdout
    module = importlib.import_module(FORMATS[fmt])
    if fmt != "json":
        obj = made_safe(obj)
        tolerate_encoding(out)
    if fmt == "table":
        module.write(obj, out, details=details, pager=pager)
    else:
        module.write(obj, out, details=details)
