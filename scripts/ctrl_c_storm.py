"""Press Ctrl-C at random moments of rolecompare's runs, many times in a row, and count.

    python scripts/ctrl_c_storm.py                 # 200 runs
    python scripts/ctrl_c_storm.py --runs 30 --load 2 --seed 7

Each run starts one of `skills`, `report`, `quiz`, `import onet` and `validate` (in
turn) in a fresh interpreter, waits a random time between the moment rolecompare's
Ctrl-C handler is in place and the end of a typical run of that command, then sends
SIGINT (one to three times). Every run must end either interrupted (exit 130, stderr
exactly "rolecompare: interrupted") or finished (exit 0, no "rolecompare:" message on
stderr: report and import onet say there what they wrote), with no
traceback anywhere, and leave no temporary file or folder behind: its temporary folder
(TMPDIR) stays empty, and beside the report, the imported KB and the cache only
rolecompare's finished files appear.

--load N runs N busy processes meanwhile (a loaded machine). Prints the counts; exits 0
if every run held, 1 otherwise (with each failure described), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLICE = ROOT / "tests" / "fixtures" / "onet-29.2-slice"
INTERRUPTED = 130
# Says when main() has installed its Ctrl-C handler (a byte on the pipe named by
# argv[1]), then runs rolecompare with the rest of argv, as its entry point does.
STARTER = (
    "import os, sys\n"
    "import rolecompare.main as entry\n"
    "catch = entry._catch_ctrl_c\n"
    "def started():\n"
    "    catch()\n"
    "    os.write(int(sys.argv[1]), b'x')\n"
    "entry._catch_ctrl_c = started\n"
    "entry.main(sys.argv[2:])\n"
)
COMMANDS = ("skills", "report", "quiz", "import onet", "validate")
ANSWERS = "5,1,5,1,5,1,5,1,5,1,5,1"


def argv_of(command: str, out: Path, n: int) -> list[str]:
    if command == "report":
        return ["report", "--out", str(out / "report.html")]
    if command == "quiz":
        return ["quiz", "--answers", ANSWERS]
    if command == "import onet":
        return ["import", "onet", str(SLICE), "--all", "--out", str(out / f"kb-{n}")]
    return [command]


def leftovers(work: Path) -> list[str]:
    """What a run left that rolecompare does not leave when it finishes: anything in
    TMPDIR; beside the outputs, any hidden or .tmp entry (a finished report, imported KB
    and cache entry are expected)."""
    found = [f"tmp/{p.name}" for p in (work / "tmp").iterdir()]
    for folder in (work / "out", work / "cache"):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith(".") or path.name.endswith(".tmp"):
                found.append(f"{folder.name}/{path.name}")
    return sorted(found)


def start(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[bytes], int]:
    ready_r, ready_w = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(ready_w), *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        pass_fds=(ready_w,),
    )
    os.close(ready_w)
    return proc, ready_r


def wait_ready(ready_r: int) -> bool:
    try:
        return os.read(ready_r, 1) == b"x"
    finally:
        os.close(ready_r)


def calibrate(command: str, env: dict[str, str], work: Path) -> float:
    """Seconds from the handler's start to the end of an uninterrupted run."""
    proc, ready = start(argv_of(command, work / "out", 0), env, work)
    wait_ready(ready)
    began = time.monotonic()
    _out, err = proc.communicate(timeout=120)
    took = time.monotonic() - began
    if proc.returncode != 0:
        raise SystemExit(f"storm: {command} fails without Ctrl-C: {err.decode(errors='replace')}")
    shutil.rmtree(work / "out" / "kb-0", ignore_errors=True)
    return took


def storm(runs: int, seed: int, work: Path) -> tuple[dict[str, int], list[str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED", "NO_COLOR")}
    for name in ("tmp", "out", "cache"):
        (work / name).mkdir()
    env.update(
        {
            "TMPDIR": str(work / "tmp"),
            "ROLECOMPARE_CACHE_DIR": str(work / "cache"),
            "COLUMNS": "100",
        }
    )
    env.pop("ROLECOMPARE_KB", None)
    took = {command: calibrate(command, env, work) for command in COMMANDS}
    rng = random.Random(seed)
    counts = {"interrupted": 0, "finished": 0, "failed": 0}
    failures: list[str] = []
    for n in range(1, runs + 1):
        command = COMMANDS[(n - 1) % len(COMMANDS)]
        delay = rng.uniform(0, took[command] * 1.1)
        presses = rng.randint(1, 3)
        proc, ready = start(argv_of(command, work / "out", n), env, work)
        if not wait_ready(ready):
            proc.communicate(timeout=120)
            failures.append(f"run {n} ({command}): never started: exit {proc.returncode}")
            counts["failed"] += 1
            continue
        time.sleep(delay)
        for _ in range(presses):
            try:
                proc.send_signal(signal.SIGINT)
            except ProcessLookupError:
                break
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            failures.append(f"run {n} ({command}, {delay * 1000:.1f} ms): hung")
            counts["failed"] += 1
            continue
        code = proc.returncode
        left = leftovers(work)
        trace = b"Traceback" in out or b"Traceback" in err
        if code == INTERRUPTED and err == b"rolecompare: interrupted\n" and not trace and not left:
            counts["interrupted"] += 1
        elif code == 0 and b"rolecompare:" not in err and not trace and not left:
            counts["finished"] += 1
        else:
            counts["failed"] += 1
            failures.append(
                f"run {n} ({command}, {presses} press(es) {delay * 1000:.1f} ms in): "
                f"exit {code}, stderr {err[-300:]!r}, left {left}"
            )
            for name in left:
                path = work / name
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
        shutil.rmtree(work / "out" / f"kb-{n}", ignore_errors=True)
    return counts, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="runs (200)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (a new one)")
    parser.add_argument("--load", type=int, default=0, help="busy processes meanwhile (0)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.load < 0:
        parser.error("--runs must be at least 1, --load at least 0")
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.load)]
    work = Path(tempfile.mkdtemp(prefix="rolecompare-storm-"))
    try:
        counts, failures = storm(args.runs, seed, work)
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{args.runs} runs (seed {seed}, {args.load} busy processes): "
        f"{counts['interrupted']} interrupted, {counts['finished']} finished, "
        f"{counts['failed']} failed"
    )
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
