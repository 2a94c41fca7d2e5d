"""Validate the bundled KB (data/) and ship the result inside the package.

    python3 dev.py python scripts/ship_kb.py

Writes src/rolecompare/kb/shipped.json (see rolecompare.kb.shipped); run it after
any change to data/ or to the version. tests/test_kb.py fails when it is stale.
"""

from __future__ import annotations

from rolecompare.kb import cache, shipped
from rolecompare.kb.files import bundled_kb, read_kb_files
from rolecompare.kb.load import validate_files


def main() -> None:
    files, problems = read_kb_files(bundled_kb())
    kb = validate_files(files, problems)
    shipped.write(cache.key_for((f.rel, f.data) for f in files), kb)
    print(f"wrote {shipped.SHIPPED}")


if __name__ == "__main__":
    main()
