#!/usr/bin/env python3
"""Size and build time of the one-page HTML report (rolecompare.render.html) for a KB.

    .venv/bin/python scripts/bench_report.py            # the bundled KB, every role
    .venv/bin/python scripts/bench_report.py --kb DIR --roles ds,mle --runs 21
    .venv/bin/python scripts/bench_report.py --check    # exit 1 over 300 KB or 0.5 s

The time is the median of --runs builds in this process (report_page, then
build_report_html, then page_markdown), with the KB already loaded: what the
report adds to a run, not the KB's loading, which every command pays (docs/performance.md,
"Performance"). Also prints the time of version_text, the footer's line: it takes the
cache key open_kb computed, and reads the KB files only when open_kb had none.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from rolecompare.compare.report_page import report_page, version_text
from rolecompare.compare.roles import select_roles
from rolecompare.kb.load import open_kb
from rolecompare.render.html import build_report_html
from rolecompare.render.markdown import page_markdown

MAX_BYTES = 300_000
MAX_SECONDS = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kb", help="KB folder (default: the bundled KB)")
    parser.add_argument("--roles", help="--roles value (default: every role)")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--check", action="store_true", help="exit 1 if over a target")
    args = parser.parse_args()

    opened = open_kb(args.kb)
    kb = opened.load()
    roles = select_roles(kb["roles"], args.roles)
    times, md_times = [], []
    page = doc = ""
    for _ in range(args.runs):
        start = time.perf_counter()
        shown = report_page(kb, roles, version="rolecompare bench")
        page = build_report_html(shown)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        doc = page_markdown(shown)
        md_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    version = version_text(opened)
    hashing = time.perf_counter() - start

    size = len(page.encode("utf-8"))
    took = statistics.median(times)
    print(f"kb:        {version}")
    print(f"roles:     {', '.join(r['id'] for r in roles)}")
    print(
        f"html:      {size:,} bytes (target < {MAX_BYTES:,}), "
        f"built in {took * 1000:.1f} ms (median of {args.runs}; target < "
        f"{MAX_SECONDS * 1000:.0f} ms)"
    )
    print(
        f"markdown:  {len(doc.encode('utf-8')):,} bytes, "
        f"{statistics.median(md_times) * 1000:.1f} ms more"
    )
    print(f"version:   {hashing * 1000:.1f} ms for the footer's KB digest")
    missed = size >= MAX_BYTES or took >= MAX_SECONDS
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
