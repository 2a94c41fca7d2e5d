"""Role ids for shell completion, without validating the KB.

Completion runs on every Tab press, so it reads only the role files with
tomllib; suggestions from a broken KB are harmless, and every command still
validates the KB before using it.
"""

from __future__ import annotations

import tomllib

from rolecompare.loader import resolve_kb_dir


def role_ids(kb_option: str | None) -> list[str]:
    ids = []
    try:
        for path in sorted((resolve_kb_dir(kb_option) / "roles").glob("*.toml")):
            role = tomllib.loads(path.read_text("utf-8")).get("role", {})
            if isinstance(role, dict) and isinstance(role.get("id"), str):
                ids.append(role["id"])
    except (OSError, ValueError):
        return ids
    return ids
