"""A file too large for the memory DuckDB is given is one line naming the file and what
to change, never DuckDB's own advice ("Possible solutions: ...") cut to its heading."""

from __future__ import annotations

from pathlib import Path

# DuckDB 1.x's message when an operator cannot spill and its memory_limit is reached.
OUT_OF_MEMORY = (
    "Out of Memory Error: failed to allocate data of size 16.0 MiB (700.0 MiB/700.0 MiB used)"
    "\n\nPossible solutions:\n* Reducing the number of threads (SET threads=X)\n"
    "* Disabling insertion-order preservation (SET preserve_insertion_order=false)\n"
)


def test_out_of_memory_names_the_file_and_the_limit() -> None:
    from rolecompare.importers.postings_sql import MEMORY, _error

    got = _error(Path("big.csv"), RuntimeError(OUT_OF_MEMORY)).message
    assert got == (
        f"big.csv: too large to count in the {MEMORY} DuckDB is given "
        "(importers/postings_sql.py, connect)"
    )


def test_any_other_error_gives_its_reason_not_the_advice_heading() -> None:
    from rolecompare.importers.postings_sql import _error

    text = "Invalid Input Error: something odd\n\nPossible solutions:\n* try again\n"
    got = _error(Path("odd.csv"), RuntimeError(text)).message
    assert got == "odd.csv: cannot read it: something odd"
