"""The bundled KB, shipped already validated, so that even a first run skips validation.

`shipped.json` beside this module holds the validated bundled KB with the content
key of the files it was validated from (cache.key_for). It is used only when the
KB being loaded has exactly that key, that is, byte for byte the files it came
from; anything else is validated as usual. `scripts/ship_kb.py` writes it, and
tests/test_kb.py fails when it is stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from rolecompare.kb.types import KB

SHIPPED = Path(__file__).with_name("shipped.json")


def read(key: str) -> KB | None:
    """The shipped validated KB, if it was validated from files with this key."""
    try:
        with SHIPPED.open("rb") as f:
            head = f.readline()
            if json.loads(head) != key:
                return None
            return cast(KB, json.loads(f.read()))
    except (OSError, ValueError):
        return None


def write(key: str, kb: KB) -> None:
    """Ship kb as validated from files with this key (scripts/ship_kb.py)."""
    body = json.dumps(kb, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    SHIPPED.write_text(json.dumps(key) + "\n" + body + "\n", "utf-8")
