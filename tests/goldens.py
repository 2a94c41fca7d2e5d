"""Golden files: reviewed renders that a test compares output with.

UPDATE_GOLDEN=1 rewrites the golden files that differ, for a person to review with
`git diff` before committing. Under CI it is refused (conftest.py stops the run), since
there it would rewrite every golden file and so make every golden test pass.
"""

from __future__ import annotations

import os
from pathlib import Path


def on_ci() -> bool:
    """CI=true (or any value but empty, 0, false, no), as CI services set it."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def check_golden(path: Path, text: str) -> None:
    """text must equal the reviewed golden file at path; UPDATE_GOLDEN=1 rewrites it."""
    rewrite = os.environ.get("UPDATE_GOLDEN") and not on_ci()
    if rewrite and (not path.exists() or path.read_text("utf-8") != text):
        path.write_text(text, "utf-8")
    assert path.exists(), f"{path.name} is missing; UPDATE_GOLDEN=1 writes it"
    assert text == path.read_text("utf-8"), f"{path.name} changed; UPDATE_GOLDEN=1 rewrites it"
