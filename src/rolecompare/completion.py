"""Role ids for shell completion, without validating the KB.

Completion runs on every Tab press, so it reads only the role files with
tomllib; suggestions from a broken KB are harmless, and every command still
validates the KB before using it.
"""

from __future__ import annotations

import re

from rolecompare.loader import resolve_kb_dir

# Not a TOML parser (tomllib costs ~1.6 ms of every Tab): the `id = "..."` line of [role].
_ID = re.compile(r"""^[ \t]*id[ \t]*=[ \t]*(?:"([^"\\\n]*)"|'([^'\n]*)')""", re.M)


def role_ids(kb_option: str | None) -> list[str]:
    ids = []
    try:
        for path in sorted((resolve_kb_dir(kb_option) / "roles").glob("*.toml")):
            match = _ID.search(path.read_text("utf-8"))
            if match:
                ids.append(match.group(1) or match.group(2))
    except (OSError, ValueError):
        return ids
    return ids
