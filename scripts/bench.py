#!/usr/bin/env python3
"""Time rolecompare against the floors docs/performance.md states its targets in.

    .venv/bin/python scripts/bench.py             # print the table (exit 0)
    .venv/bin/python scripts/bench.py --check     # exit 1 if a target is missed
    .venv/bin/python scripts/bench.py --typer-029 # also time Typer 0.29 in a throwaway venv
    .venv/bin/python scripts/bench.py --write-docs  # and put the output in docs/performance.md

Every figure is the median of --runs runs, each in a new process, and is shown as a
ratio to a floor timed in the same loop, floor and subject alternating, so that a
busy or slow machine moves both. Floors: the "stack" floor is Python importing
Typer and Rich (what any table-printing Typer CLI pays); the "typer" floor is
Python importing Typer. Peak memory is the child's maximum resident set size,
from /usr/bin/time -f %M if present, else getrusage(RUSAGE_CHILDREN) of a helper
process that runs the command once.

Run it with the interpreter of the environment to measure: rolecompare is the
console script next to sys.executable, and floors use the same interpreter. The
benchmark uses its own empty cache directory and writes its generated KBs to a
temporary directory; it removes both when done. Only the standard library is used.
It exits 0 (1 with --check if a target is missed; 2 if a command fails outright).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TextIO

HERE = Path(__file__).resolve().parent
PERFORMANCE_PAGE = HERE.parent / "docs" / "performance.md"
BENCH_BLOCK = re.compile(r"(<!-- bench-output -->\n).*?(<!-- /bench-output -->)", re.S)
PY = sys.executable
STACK_FLOOR = [
    PY,
    "-c",
    "import typer; from rich.console import Console; from rich.table import Table",
]
TYPER_FLOOR = [PY, "-c", "import typer"]
MIB = 1024 * 1024
GNU_TIME = "/usr/bin/time"
BIG_PAIR = "role-0001,role-0002"


class Failed(Exception):
    """A command that should have worked did not: nothing to time."""


@dataclass
class Result:
    what: str
    median_ms: float
    floor: str
    floor_ms: float | None
    target: str
    ok: bool | None  # None: for information only
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.floor_ms if self.floor_ms else None


class Bench:
    def __init__(self, runs: int, warmup: int, env: dict[str, str]) -> None:
        self.runs = runs
        self.warmup = warmup
        self.env = env
        self.results: list[Result] = []
        self.memory: list[tuple[str, float, float | None]] = []  # what, MiB, limit

    def once(
        self,
        cmd: Sequence[str],
        env: dict[str, str] | None = None,
        expect_out: Callable[[str], str | None] | None = None,
    ) -> float:
        """Run cmd once; return its wall time in ms. Fails loudly if the command fails."""
        start = time.perf_counter()
        proc = subprocess.run(
            cmd,
            env=env or self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if expect_out else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        elapsed = (time.perf_counter() - start) * 1000
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip().splitlines()[-5:]
            raise Failed(f"{' '.join(cmd)} exited {proc.returncode}:\n  " + "\n  ".join(err))
        if expect_out:
            problem = expect_out(proc.stdout.decode(errors="replace"))
            if problem:
                raise Failed(f"{' '.join(cmd)}: {problem}")
        return elapsed

    def pair(
        self,
        subject: Sequence[str],
        floor: Sequence[str],
        subject_env: dict[str, str] | None = None,
        runs: int | None = None,
    ) -> tuple[float, float]:
        """Medians (ms) of subject and floor, warmed up, then run alternately."""
        for _ in range(self.warmup):
            self.once(floor)
            self.once(subject, subject_env)
        times: dict[str, list[float]] = {"subject": [], "floor": []}
        for i in range(runs or self.runs):
            order = [("floor", floor, None), ("subject", subject, subject_env)]
            for name, cmd, env in order if i % 2 == 0 else order[::-1]:
                times[name].append(self.once(cmd, env))
        return statistics.median(times["subject"]), statistics.median(times["floor"])

    def compare(
        self,
        what: str,
        subject: Sequence[str],
        floor: Sequence[str],
        floor_name: str,
        limit: float,
        subject_env: dict[str, str] | None = None,
        note: str = "",
    ) -> None:
        sub, flo = self.pair(subject, floor, subject_env)
        self.results.append(
            Result(what, sub, floor_name, flo, f"<= {limit:g}x", sub / flo <= limit, note)
        )

    def peak_mib(
        self,
        cmd: Sequence[str],
        env: dict[str, str] | None = None,
        repeat: int = 3,
        tree: bool = False,
    ) -> float:
        """Median over `repeat` runs of the child's peak resident set size, in MiB; with
        tree, of the whole process tree's (peak_tree_kib)."""
        measure = peak_tree_kib if tree and Path("/proc/self/task").is_dir() else peak_rss_kib
        return statistics.median(measure(cmd, env or self.env) for _ in range(repeat)) / 1024


def tree_rss_kib(pid: int) -> int:
    """The resident set size of pid and all its descendants now, in KiB (Linux /proc)."""
    total, todo = 0, [pid]
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page_kib
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue  # it ended meanwhile
    return total


def peak_tree_kib(cmd: Sequence[str], env: dict[str, str]) -> float:
    """Peak resident set size of cmd's whole process tree, in KiB: the largest sum over
    the tree sampled every 10 ms, or the largest single process's own peak (ru_maxrss,
    which no sample misses), whichever is larger."""
    proc = subprocess.Popen(
        cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return float(max(peak, usage.ru_maxrss))


def peak_rss_kib(cmd: Sequence[str], env: dict[str, str]) -> float:
    if os.access(GNU_TIME, os.X_OK):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
            subprocess.run(
                [GNU_TIME, "-f", "%M", "-o", out.name, *cmd],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
            return float(out.read().split()[-1])
    # A helper process whose only child is cmd, so RUSAGE_CHILDREN is cmd's own peak.
    helper = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    printed = subprocess.run(
        [PY, "-c", helper, *cmd], env=env, capture_output=True, text=True, check=True
    ).stdout
    kib = float(printed.split()[-1])
    return kib / 1024 if sys.platform == "darwin" else kib  # macOS reports bytes


def rolecompare_command() -> list[str]:
    """The console script next to the interpreter; `python -m rolecompare` as a fallback."""
    bindir = Path(PY).parent
    for name in ("rolecompare", "rolecompare.exe"):
        if (bindir / name).is_file():
            return [str(bindir / name)]
    return [PY, "-m", "rolecompare"]


def machine(env: dict[str, str]) -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cores = f"{os.cpu_count()} logical" + (f", {usable} usable" if usable else "")

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    versions = ", ".join(f"{d} {version(d)}" for d in ("rolecompare", "typer", "rich", "pydantic"))
    where = subprocess.run(
        [PY, "-c", "import rolecompare; print(rolecompare.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return [
        f"machine: {cpu}; {cores} cores; {platform.system()} {platform.release()}",
        f"python:  {platform.python_implementation()} {platform.python_version()} ({PY})",
        f"modules: {versions}",
        f"source:  {Path(where).parent if where else 'rolecompare not importable'}",
    ]


def make_big_kb(out: Path, roles: int, attributes: int) -> Path:
    subprocess.run(
        [
            PY,
            str(HERE / "make_big_kb.py"),
            str(out),
            "--roles",
            str(roles),
            "--attributes",
            str(attributes),
        ],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return out


def completion_env(base: dict[str, str], words: str) -> dict[str, str]:
    """Typer 0.28's bash completion protocol: the words so far and the index of the current one."""
    cword = len(words.split()) if words.endswith(" ") else len(words.split()) - 1
    return {
        **base,
        "_ROLECOMPARE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }


def lines_are(expected: list[str]) -> Callable[[str], str | None]:
    def check(out: str) -> str | None:
        got = out.split()
        return None if got == expected else f"printed {got!r}, expected {expected!r}"

    return check


def bench_typer_029(b: Bench, workdir: Path) -> list[str]:
    """Typer 0.28 (this environment) against 0.29.2 (a throwaway venv) on a minimal app."""
    app = workdir / "minimal_app.py"
    app.write_text(
        "import typer\n\napp = typer.Typer()\n\n\n@app.command()\n"
        "def hello(name: str = 'world', count: int = 1, shout: bool = False) -> None:\n"
        "    print(('HELLO ' if shout else 'hello ') * count + name)\n\n\napp()\n"
    )
    venv = workdir / "typer-029"
    base = getattr(sys, "_base_executable", PY)
    vpy = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    try:
        subprocess.run(
            [base, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300
        )
        subprocess.run(
            [
                str(vpy),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "typer==0.29.2",
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return [f"typer 0.29: skipped, could not install typer==0.29.2 ({type(exc).__name__})"]
    args = ["--name", "bench", "--count", "2"]
    rows = []
    for label, cmd in (
        ("import typer", ["-c", "import typer"]),
        ("minimal one-command app", [str(app), *args]),
    ):
        new, old = b.pair([str(vpy), *cmd], [PY, *cmd])
        new_mib, old_mib = b.peak_mib([str(vpy), *cmd]), b.peak_mib([PY, *cmd])
        rows.append(
            f"  {label:<26} 0.28: {old:6.1f} ms {old_mib:5.1f} MiB   "
            f"0.29.2: {new:6.1f} ms {new_mib:5.1f} MiB   "
            f"time {new / old:.2f}x, memory {new_mib / old_mib:.2f}x"
        )
    return [
        "typer 0.29.2 vs this environment's typer "
        f"{metadata.version('typer')} (why pyproject pins typer<0.29):",
        *rows,
    ]


def bench_onet(
    b: Bench, rc: list[str], env: dict[str, str], db: Path, kb: Path, skills_ms: float
) -> None:
    """The O*NET targets: the full import, then the KB it writes (docs/performance.md,
    "Performance")."""
    start = time.perf_counter()
    b.once([*rc, "import", "onet", str(db), "--all", "--out", str(kb)])
    import_s = time.perf_counter() - start
    b.results.append(
        Result(
            "O*NET: import all (incl. its validation)",
            import_s * 1000,
            "-",
            None,
            "< 30000 ms",
            import_s < 30,
        )
    )
    validate = [*rc, "--kb", str(kb), "validate"]
    ms = statistics.median(b.once(validate) for _ in range(3))
    b.results.append(Result("O*NET: validate, cold", ms, "-", None, "< 3000 ms", ms < 3000))
    tools = [*rc, "--kb", str(kb), "tools", "--roles", "15-2051.00,15-1221.00"]
    b.once(tools)  # fills the cache
    ms = statistics.median(b.once(tools) for _ in range(b.runs))
    b.results.append(
        Result(
            "O*NET: tools for two, warm",
            ms,
            "bundled skills",
            skills_ms,
            "<= 1.5x",
            ms / skills_ms <= 1.5,
        )
    )
    ms = statistics.median(b.once([*rc, "--kb", str(kb), "roles"]) for _ in range(b.runs))
    b.results.append(Result("O*NET: roles, warm", ms, "-", None, "< 500 ms", ms < 500))
    comp = completion_env({**env, "ROLECOMPARE_KB": str(kb)}, "rolecompare skills --roles 15-20")
    sub, flo = b.pair([*rc], TYPER_FLOOR, subject_env=comp)
    b.results.append(Result("O*NET: completion", sub, "typer", flo, "<= 1.2x", sub / flo <= 1.2))


# A plain-Python pass (csv module, one core) that counts the same skills lists per title:
# the floor of `import postings` on the generated file. It parses a list cell as the
# importer does (docs/commands.md, "Counting postings"): a cell starting "[" must be quoted names
# only (LIST), its names are the quoted strings (single or double quotes, backslash
# escapes), any other cell is split at "|" or ","; a name is trimmed and folded (case,
# spaces and punctuation but + and # dropped; each distinct name folded once, as the
# importer does) and names a term when its fold is a vocabulary name's or alias's
# (argv[2]); each posting counts a term once.
PLAIN_COUNT = (
    "import collections, csv, json, re, sys\n"
    "csv.field_size_limit(1 << 24)\n"
    'element = r"\'(?:[^\'\\\\]|\\\\.)*\'|\\"(?:[^\\"\\\\]|\\\\.)*\\""\n'
    "is_list = re.compile(r'\\s*\\[\\s*(?:(?:' + element + r')(?:\\s*,\\s*(?:' + element\n"
    "    + r'))*\\s*,?)?\\s*\\]\\s*').fullmatch\n"
    "names = re.compile(element).findall\n"
    "fold = re.compile(r'(?:[^\\w+#]|_)+').sub\n"
    "terms = {fold('', n.lower()): t for n, t in json.load(open(sys.argv[2]))}\n"
    "folded = {}\n"
    "counts = collections.Counter()\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
    "    rows = csv.reader(f)\n"
    "    next(rows)\n"
    "    for title, company, location, skills in rows:\n"
    "        if skills.lstrip().startswith('['):\n"
    "            if not is_list(skills):\n"
    "                sys.exit('not a list')\n"
    "            cut = [n[1:-1] for n in names(skills)]\n"
    "        else:\n"
    "            cut = skills.split('|' if '|' in skills else ',')\n"
    "        found = set()\n"
    "        for name in cut:\n"
    "            key = folded.get(name)\n"
    "            if key is None:\n"
    "                key = folded[name] = fold('', name.strip().lower())\n"
    "            term = terms.get(key)\n"
    "            if term is not None:\n"
    "                found.add(term)\n"
    "        for term in found:\n"
    "            counts[title, term] += 1\n"
    "print(len(counts))\n"
)


def vocabulary_names() -> list[tuple[str, str]]:
    """(name, term id) for every name and alias of the bundled skills and tools: a bare
    name in a list is a skill's or a tool's, never a degree's (rule postings-2)."""
    import tomllib

    terms = tomllib.loads((HERE.parent / "data" / "vocabulary" / "terms.toml").read_text())
    kinds = ("skill", "tool")
    return [
        (name, t["id"])
        for t in terms["terms"]
        if t["kind"] in kinds
        for name in (t["name"], *t.get("aliases", []))
    ]


def make_postings(path: Path, rows: int) -> Path:
    """A CSV of generated postings: a title naming a role (or none), a company, a location
    and a Python list literal of 10-25 skills from the bundled vocabulary."""
    import csv
    import random
    import tomllib

    terms = tomllib.loads((HERE.parent / "data" / "vocabulary" / "terms.toml").read_text())
    names = [t["name"] for t in terms["terms"] if t["kind"] in ("skill", "tool")]
    titles = ["Data Scientist", "Senior Data Scientist", "Machine Learning Engineer",
              "ML Engineer II", "Data Analyst", "Software Engineer"]  # fmt: skip
    rnd = random.Random(21)
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["job_title", "company_name", "job_location", "job_skills"])
        for i in range(rows):
            skills = rnd.sample(names, rnd.randint(10, 25))
            out.writerow(
                [rnd.choice(titles), f"Company {i % 5000}", f"City {i % 700}", repr(skills)]
            )
    return path


def bench_postings(b: Bench, rc: list[str], work: Path, rows: int) -> None:
    """The `import postings` targets (docs/performance.md, "Performance")."""
    data = make_postings(work / "postings.csv", rows)
    out = work / "postings-kb"
    subject = [*rc, "import", "postings", str(data), "--out", str(out), "--force"]
    vocabulary = work / "vocabulary.json"
    vocabulary.write_text(json.dumps(vocabulary_names()), encoding="utf-8")
    floor = [sys.executable, "-c", PLAIN_COUNT, str(data), str(vocabulary)]
    b.once(subject)
    sub, flo = b.pair(subject, floor, runs=max(1, min(b.runs, 3)))
    b.results.append(
        Result(
            f"import postings ({rows:,} rows)",
            sub,
            "plain csv",
            flo,
            "<= 0.5x",
            sub / flo <= 0.5,
        )
    )
    b.memory.append(
        (f"import postings ({rows:,} rows)", b.peak_mib(subject, repeat=1, tree=True), 1024.0)
    )
    read = [
        sys.executable,
        "-c",
        'import duckdb, sys; duckdb.sql(f"SELECT count(job_title), count(job_skills) FROM '
        "read_csv('{sys.argv[1]}', all_varchar = true)\").fetchall()",
        str(data),
    ]
    sub, flo = b.pair(subject, read, runs=1)
    b.results.append(
        Result("import postings vs DuckDB reading", sub, "duckdb read", flo, "-", None)
    )
    rebuild = [sys.executable, str(HERE / "postings_kb.py"), "--check"]
    if (HERE.parents[1] / "shared" / "sources" / "postings").is_dir():
        ms = statistics.median(b.once(rebuild) for _ in range(3))
        b.results.append(
            Result("the three bundled analyses, rebuilt", ms, "-", None, "< 20000 ms", ms < 20000)
        )


# The floor of `import postings --text`: one Python pass of one compiled regular expression
# of every term's name and alias (longest first, on word boundaries, any case) over the
# same descriptions, read by the csv module, counting (title, name) pairs.
TEXT_FLOOR = (
    "import collections, csv, json, re, sys\n"
    "csv.field_size_limit(1 << 24)\n"
    "names = sorted(json.load(open(sys.argv[2])), key=len, reverse=True)\n"
    "pattern = re.compile(r'(?<!\\w)(?:' + '|'.join(map(re.escape, names)) + r')(?!\\w)', re.I)\n"
    "counts = collections.Counter()\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
    "    rows = csv.reader(f)\n"
    "    next(rows)\n"
    "    for title, company, location, text in rows:\n"
    "        for name in set(pattern.findall(text)):\n"
    "            counts[title, name.lower()] += 1\n"
    "print(len(counts))\n"
)
FILLER_TEXT = (
    "the team will build and own data products with partners across the company to ship "
    "reliable models that serve millions of users every day while we grow our platform "
    "you will design experiments analyse results write clear documents and mentor others "
    "we value curiosity ownership and kindness our benefits include health insurance"
)
FILLER = FILLER_TEXT.split()
# Sentences that name no term by the rules of free text (docs/commands.md, "Reading free text").
TRAPS = [
    "Report to the VP of R&D.",
    "Present to the C-suite.",
    "You excel at communication.",
    "Our go-to partner is you.",
    "Help us spark innovation.",
    "Go above and beyond.",
    "We closed our Series C funding.",
]


def make_descriptions(path: Path, rows: int) -> tuple[Path, list[str]]:
    """A CSV of generated postings with a 3-4 KB description each: sentences of filler
    words, names of the bundled vocabulary's terms and the ambiguous traps; and every
    term's name and alias (for the floor)."""
    import csv
    import random
    import tomllib

    terms = tomllib.loads((HERE.parent / "data" / "vocabulary" / "terms.toml").read_text())
    kinds = ("skill", "tool", "degree")
    chosen = [t for t in terms["terms"] if t["kind"] in kinds]
    names = [t["name"] for t in chosen]
    every = sorted({n for t in chosen for n in (t["name"], *t.get("aliases", []))})
    # Every title names a role, so the import reads every description, as the floor does.
    titles = ["Data Scientist", "Senior Data Scientist", "Machine Learning Engineer",
              "ML Engineer II"]  # fmt: skip
    rnd = random.Random(21)
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["job_title", "company_name", "job_location", "description"])
        for i in range(rows):
            size = rnd.randint(3000, 4000)
            parts: list[str] = []
            length = 0
            while length < size:
                if rnd.random() < 0.1:
                    sentence = rnd.choice(TRAPS)
                else:
                    words = rnd.sample(FILLER, rnd.randint(8, 16))
                    for _ in range(rnd.randint(0, 2)):
                        words.insert(rnd.randrange(len(words)), rnd.choice(names))
                    sentence = " ".join(words)  # names as the vocabulary writes them
                    sentence = sentence[0].upper() + sentence[1:] + "."
                parts.append(sentence)
                length += len(sentence) + 1
            out.writerow(
                [rnd.choice(titles), f"Company {i}", f"City {i % 700}", " ".join(parts)[:size]]
            )
    return path, every


def bench_text(b: Bench, rc: list[str], work: Path, rows: int) -> None:
    """The `import postings --text` target (docs/performance.md, "Performance"): the same
    run times the import and the floor, alternately."""
    data, names = make_descriptions(work / "descriptions.csv", rows)
    names_file = work / "names.json"
    names_file.write_text(json.dumps(names), encoding="utf-8")
    out = work / "text-kb"
    subject = [*rc, "import", "postings", str(data), "--text", "description"]
    subject += ["--out", str(out), "--force"]
    floor = [sys.executable, "-c", TEXT_FLOOR, str(data), str(names_file)]
    b.once(subject)
    sub, flo = b.pair(subject, floor, runs=max(1, min(b.runs, 3)))
    megabytes = data.stat().st_size / 1e6
    b.results.append(
        Result(
            f"import postings --text ({rows:,} descriptions, {megabytes:,.0f} MB)",
            sub,
            "one regex pass",
            flo,
            "<= 1x",
            sub / flo <= 1.0,
        )
    )
    b.memory.append(
        (f"import postings --text ({rows:,} rows)", b.peak_mib(subject, repeat=1, tree=True), None)
    )


def table(results: list[Result]) -> list[str]:
    header = ("what", "median ms", "floor", "floor ms", "ratio", "target", "result")
    rows = [header]
    for r in results:
        rows.append(
            (
                r.what,
                f"{r.median_ms:.1f}",
                r.floor,
                f"{r.floor_ms:.1f}" if r.floor_ms else "-",
                f"{r.ratio:.2f}x" if r.ratio else "-",
                r.target,
                "info" if r.ok is None else ("pass" if r.ok else "FAIL"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {1, 3, 4}
    out = []
    for n, row in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per figure (15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (2)")
    parser.add_argument(
        "--validate-runs",
        type=int,
        default=5,
        help="timed runs of each cold validation, which take ~1 s each (5)",
    )
    parser.add_argument("--roles", type=int, default=2000, help="roles in the big KB (2000)")
    parser.add_argument(
        "--attributes", type=int, default=20, help="facts per role in the big KB (20)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if any target is missed")
    parser.add_argument(
        "--typer-029",
        action="store_true",
        help="also time typer==0.29.2 in a throwaway venv under the temp dir",
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="time only the start-up targets (warm skills, --version, -V, --help, "
        "completion, the first run) and stop",
    )
    parser.add_argument(
        "--postings",
        type=int,
        default=1_000_000,
        metavar="ROWS",
        help="rows of the generated postings file for `import postings` (1,000,000; 0: skip)",
    )
    parser.add_argument(
        "--postings-only", action="store_true", help="time only the `import postings` targets"
    )
    parser.add_argument(
        "--text",
        type=int,
        default=100_000,
        metavar="ROWS",
        help="generated 3-4 KB descriptions for `import postings --text` (100,000; 0: skip)",
    )
    parser.add_argument(
        "--text-only", action="store_true", help="time only the `import postings --text` target"
    )
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="also write the output into docs/performance.md (a full run only)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.validate_runs < 1 or args.roles < 8:
        parser.error("--runs and --validate-runs must be at least 1, --roles at least 8")
    if args.write_docs and (args.startup or args.postings_only or args.text_only):
        parser.error("--write-docs needs a full run (no --startup, --postings-only, --text-only)")

    work = Path(tempfile.mkdtemp(prefix="rolecompare-bench-"))
    shown = Tee(sys.stdout)
    try:
        with contextlib.redirect_stdout(shown) if args.write_docs else contextlib.nullcontext():
            code = run(args, work)
    except (Failed, subprocess.CalledProcessError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.write_docs:
        write_docs(sys.argv[1:] if argv is None else argv, shown.getvalue())
    return code


def write_docs(argv: list[str], output: str) -> None:
    """Put a run's output, under its command line, in docs/performance.md."""
    command = " ".join(["$ python3 dev.py python scripts/bench.py", *argv])
    page = PERFORMANCE_PAGE.read_text("utf-8")
    PERFORMANCE_PAGE.write_text(with_output(page, command + "\n" + output), "utf-8")
    print(f"wrote {PERFORMANCE_PAGE}", file=sys.stderr)


class Tee(io.StringIO):
    """What is printed, kept as well as shown."""

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text)
        return super().write(text)

    def flush(self) -> None:
        self.out.flush()


def with_output(page: str, output: str) -> str:
    """The performance page with its benchmark block holding output (Failed without one)."""
    if not BENCH_BLOCK.search(page):
        raise Failed(f"{PERFORMANCE_PAGE} has no <!-- bench-output --> block")
    body = "```text\n" + output.rstrip() + "\n```\n"
    return BENCH_BLOCK.sub(lambda m: m.group(1) + body + m.group(2), page, count=1)


def run(args: argparse.Namespace, work: Path) -> int:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"ROLECOMPARE_KB", "PYTHONDONTWRITEBYTECODE", "NO_COLOR"}
    }
    # Bytecode is written on the warm-up runs, as it is on a user's machine.
    env.update({"ROLECOMPARE_CACHE_DIR": str(work / "cache"), "COLUMNS": "100"})
    rc = rolecompare_command()
    b = Bench(args.runs, args.warmup, env)
    if args.postings_only or args.text_only:
        if args.postings_only and args.postings:
            bench_postings(b, rc, work, args.postings)
        if args.text:
            bench_text(b, rc, work, args.text)
        print("\n".join(table(b.results)))
        print("peak memory (max RSS of the process tree):")
        for what, mib, limit in b.memory:
            print(f"  {what}: {mib:.0f} MiB" + (f" (limit {limit:g})" if limit else ""))
        over = any(limit is not None and mib > limit for _, mib, limit in b.memory)
        return 1 if args.check and (over or any(r.ok is False for r in b.results)) else 0
    print("\n".join(machine(env)))
    print(f"command: {' '.join(rc)}; {args.runs} runs per figure, medians", flush=True)

    # Role ids, to check that completion really completes them.
    listing = subprocess.run(
        [*rc, "roles", "--format", "json"], env=env, check=True, capture_output=True, text=True
    ).stdout
    bundled_ids = [r["id"] for r in json.loads(listing)["roles"]]

    # 1. A warm `skills` against the stack floor, and its peak memory.
    b.once([*rc, "skills"])
    b.compare("skills (warm)", [*rc, "skills"], STACK_FLOOR, "stack", 1.15)
    b.memory.append(("skills (warm)", b.peak_mib([*rc, "skills"]), 22.0))
    b.memory.append(("stack floor", b.peak_mib(STACK_FLOOR), None))

    # 2. Start-up paths that must not import Rich or pydantic.
    b.compare("--version", [*rc, "--version"], TYPER_FLOOR, "typer", 0.5)
    b.compare("-V", [*rc, "-V"], TYPER_FLOOR, "typer", 0.5)
    b.compare("--help", [*rc, "--help"], TYPER_FLOOR, "typer", 1.1)
    comp = completion_env(env, "rolecompare skills --roles ")
    b.once([*rc], comp, expect_out=lines_are(bundled_ids))
    b.compare("completion (--roles)", [*rc], TYPER_FLOOR, "typer", 1.1, subject_env=comp)

    # 3. The first run after install: an empty cache every time.
    first_env = [{**env, "ROLECOMPARE_CACHE_DIR": str(work / f"first-{i}")} for i in range(99)]
    firsts = [b.once([*rc, "skills"], first_env[i % 99]) for i in range(args.runs)]
    floor = statistics.median(b.once(STACK_FLOOR) for _ in range(args.runs))
    first_ms = statistics.median(firsts)
    b.results.append(
        Result(
            "skills, first run (empty cache)",
            first_ms,
            "stack",
            floor,
            "<= 1.5x",
            first_ms / floor <= 1.5,
        )
    )

    if args.startup:
        print()
        print("\n".join(table(b.results)))
        return 1 if args.check and any(r.ok is False for r in b.results) else 0

    # 4. A large KB: listings, a comparison of two of its roles, completion.
    big = make_big_kb(work / f"kb-{args.roles}", args.roles, args.attributes)
    kb_args = [*rc, "--kb", str(big)]
    b.once([*kb_args, "roles"])  # validates and fills the cache
    for command in ("roles", "sources"):
        ms = statistics.median(b.once([*kb_args, command]) for _ in range(args.runs))
        b.results.append(
            Result(f"{command} ({args.roles} roles, warm)", ms, "-", None, "<= 300 ms", ms <= 300)
        )
    big_skills = [*kb_args, "skills", "--roles", BIG_PAIR]
    sub, flo = b.pair(big_skills, [*rc, "skills"])
    b.results.append(
        Result(
            f"skills --roles (2 of {args.roles}, warm)",
            sub,
            "bundled skills",
            flo,
            "<= 1.5x",
            sub / flo <= 1.5,
        )
    )
    b.memory.append((f"skills --roles (2 of {args.roles})", b.peak_mib(big_skills), None))
    big_comp = completion_env(
        {**env, "ROLECOMPARE_KB": str(big)}, "rolecompare skills --roles role-000"
    )
    b.once([*rc], big_comp, expect_out=lines_are([f"role-000{i}" for i in range(1, 10)]))
    sub, flo = b.pair([*rc], TYPER_FLOOR, subject_env=big_comp)
    b.results.append(Result(f"completion ({args.roles} roles)", sub, "typer", flo, "-", None))

    # 5. Cold `validate` (never cached) at growing sizes: linear in roles.
    sizes = sorted({max(2, args.roles // 4), max(2, args.roles // 2), args.roles})
    kbs = {
        n: big if n == args.roles else make_big_kb(work / f"kb-{n}", n, args.attributes)
        for n in [1, *sizes]
    }
    validate_ms = {}
    for n, kb in kbs.items():
        cmd = [*rc, "--kb", str(kb), "validate"]
        validate_ms[n] = statistics.median(b.once(cmd) for _ in range(args.validate_runs))
    fixed = validate_ms[1]
    per_role = {n: (validate_ms[n] - fixed) / (n - 1) for n in sizes}
    small, large = per_role[sizes[0]], per_role[sizes[-1]]
    b.results.append(
        Result(
            f"validate ms/role at {sizes[-1]} vs {sizes[0]} roles",
            large,
            f"{sizes[0]} roles",
            small,
            "<= 1.5x",
            small > 0 and large / small <= 1.5,
            "linear",
        )
    )
    b.memory.append(
        (f"validate ({args.roles} roles)", b.peak_mib([*kb_args, "validate"], repeat=1), None)
    )
    huge = make_big_kb(work / "kb-3000", 3000, 2)
    b.once([*rc, "--kb", str(huge), "validate"])
    b.results.append(Result("a 3,000-role KB validates", 0.0, "-", None, "loads", True))
    skills_ms = b.results[0].median_ms
    onet = HERE.parents[1] / "shared" / "sources" / "onet-29.2"
    if onet.is_dir():
        bench_onet(b, rc, env, onet, work / "onet-kb", skills_ms)
    if args.postings:
        bench_postings(b, rc, work, args.postings)
    if args.text:
        bench_text(b, rc, work, args.text)
    print()
    print("\n".join(table(b.results)))
    print()
    print(
        "peak memory (max RSS, median of 3"
        + (", /usr/bin/time" if os.access(GNU_TIME, os.X_OK) else ", getrusage")
        + "):"
    )
    failed = [r.what for r in b.results if r.ok is False]
    for what, mib, limit in b.memory:
        verdict = (
            ""
            if limit is None
            else (f"  target <= {limit:g} MiB: " + ("pass" if mib <= limit else "FAIL"))
        )
        if limit is not None and mib > limit:
            failed.append(f"{what} memory")
        print(f"  {what:<34} {mib:6.1f} MiB{verdict}")
    print()
    print(f"cold validate (ms; per role net of a 1-role KB's {fixed:.0f} ms):")
    for n in sizes:
        print(
            f"  {n:5d} roles x {args.attributes} attributes: {validate_ms[n]:7.0f} ms, "
            f"{per_role[n]:.2f} ms/role net, {validate_ms[n] / n:.2f} ms/role gross"
        )
    print(f"  second `skills` on the bundled KB for reference: {skills_ms:.1f} ms")
    if args.typer_029:
        print()
        print("\n".join(bench_typer_029(b, work)))
    print()
    print("all targets met" if not failed else "missed: " + "; ".join(failed))
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
