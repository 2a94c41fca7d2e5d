#!/usr/bin/env python3
"""Size and build time of the one-page HTML report (rolecompare.render.html) for a KB.

    .venv/bin/python scripts/bench_report.py            # the bundled KB, every role
    .venv/bin/python scripts/bench_report.py --kb DIR --roles ds,mle --runs 21
    .venv/bin/python scripts/bench_report.py --check    # exit 1 over 300 KB or 0.5 s

The time is the median of --runs builds in this process (report_data, then
build_report_html, then build_report_markdown), with the KB already loaded: what the
report adds to a run, not the KB's loading, which every command pays (docs/performance.md,
"Performance"). Also prints the time of version_text, which hashes the KB files.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from rolecompare.compare.roles import select_roles
from rolecompare.kb.load import load_kb
from rolecompare.render import html as html_report

MAX_BYTES = 300_000
MAX_SECONDS = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kb", help="KB folder (default: the bundled KB)")
    parser.add_argument("--roles", help="--roles value (default: every role)")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--check", action="store_true", help="exit 1 if over a target")
    args = parser.parse_args()

    kb = load_kb(args.kb)
    roles = select_roles(kb["roles"], args.roles)
    times, md_times = [], []
    page = doc = ""
    for _ in range(args.runs):
        start = time.perf_counter()
        reports = html_report.report_data(kb, roles)
        page = html_report.build_report_html(reports, kb["sources"], "rolecompare bench")
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        doc = html_report.build_report_markdown(reports, kb["sources"], "rolecompare bench")
        md_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    version = html_report.version_text(args.kb)
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
    print(f"version:   {hashing * 1000:.1f} ms to hash the KB files")
    missed = size >= MAX_BYTES or took >= MAX_SECONDS
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
