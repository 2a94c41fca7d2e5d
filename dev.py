"""Set up rolecompare's development environment if needed, then run a command in it.

    python3 dev.py rolecompare skills   # any rolecompare command
    python3 dev.py test                 # ruff, mypy --strict, then the whole test suite
    python3 dev.py test --quick         # the same without the tests marked slow
    python3 dev.py test-lowest          # the test suite on the lowest dependency versions
    python3 dev.py check-typer-pin      # can pyproject's typer<0.29 pin go yet?

Needs only Python 3.11+. The first run makes .venv/ and installs the project
(editable) with its dev extra from PyPI, at the versions constraints-dev.txt pins;
later runs reinstall only when pyproject.toml or constraints-dev.txt has changed.

The suite runs on every core (pytest-xdist: -n auto). Tests that share a costly module
fixture carry the same xdist_group mark and so run on one worker (--dist loadgroup).
--quick deselects the tests marked slow (the browser, the wheel build, the full width
sweep, the large hypothesis properties); CI (.ci/run) runs everything.

test-lowest does the same in .venv-lowest/, with the runtime dependencies (typer, rich,
pydantic and what they need) at the versions constraints-lowest.txt pins: the lower
bounds that pyproject.toml states, so that they stay true.

check-typer-pin installs the newest Typer into a throwaway environment and tells whether
it still imports pydantic on start-up (the reason for the pin) and how long a warm
`skills` takes with it. It exits 0 while the pin is needed, 1 when it can go (so that a
scheduled run shows red when there is something to do), 2 if it could not tell.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOWEST_VENV = ROOT / ".venv-lowest"
STAMP_NAME = ".rolecompare-installed"
CONSTRAINTS = ROOT / "constraints-dev.txt"
LOWEST = ROOT / "constraints-lowest.txt"
PARALLEL = ["-n", "auto", "--dist", "loadgroup"]
QUICK = ["-m", "not slow"]
CHECKS = [
    ["ruff", "check", "."],
    ["ruff", "format", "--check", "."],
    ["mypy"],
    ["pytest", "-q", *PARALLEL],
]
# What the pin guards (pyproject.toml): Typer 0.29 imports pydantic for every parameter,
# which made a warm `skills` 1.8x slower. The pin can go once the newest Typer imports
# no pydantic on start-up and a warm `skills` takes at most this much longer with it.
PIN_SLOWDOWN_ALLOWED = 1.10
PIN_RUNS = 9


def bin_dir(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def pip(env: Path) -> list[str]:
    return [str(bin_dir(env) / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]


def names(constraints: str) -> set[str]:
    """The normalised project names a constraints text pins."""
    found = set()
    for line in constraints.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            found.add(re.split(r"[=<>!~ ;\[]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return found


def lowest_constraints() -> str:
    """constraints-dev.txt for the dev tools, constraints-lowest.txt for everything that
    the runtime dependencies bring in."""
    lowest = LOWEST.read_text()
    runtime = names(lowest)
    dev = [
        line
        for line in CONSTRAINTS.read_text().splitlines()
        if not line.strip() or line.lstrip().startswith("#") or names(line).isdisjoint(runtime)
    ]
    return "\n".join(dev) + "\n" + lowest


def ensure_env(env: Path = VENV, constraints: str | None = None) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by any python3
        sys.exit(f"rolecompare needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if constraints is None:
        constraints = CONSTRAINTS.read_text()
    stamp = env / STAMP_NAME
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + constraints.encode()
    ).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not (bin_dir(env) / "python").exists():
        print(f"dev.py: creating {env.name}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    print(f"dev.py: installing rolecompare and its dev tools into {env.name}", file=sys.stderr)
    subprocess.run([*pip(env), "install", "--upgrade", "pip"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        pinned = Path(tmp) / "constraints.txt"
        pinned.write_text(constraints)
        subprocess.run([*pip(env), "install", "-c", str(pinned), "-e", f"{ROOT}[dev]"], check=True)
    stamp.write_text(wanted)


def run(argv: list[str], env_dir: Path = VENV) -> int:
    env = {**os.environ, "PATH": f"{bin_dir(env_dir)}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(argv, cwd=ROOT, env=env).returncode


def versions(env: Path, *dists: str) -> str:
    code = "from importlib.metadata import version as v; import sys\n"
    code += "print(', '.join(f'{d} {v(d)}' for d in sys.argv[1:]))"
    out = subprocess.run(
        [str(bin_dir(env) / "python"), "-c", code, *dists], capture_output=True, text=True
    )
    return out.stdout.strip() or out.stderr.strip()


def pytest_args(args: list[str]) -> list[str]:
    """The caller's pytest arguments, with --quick turned into pytest's own words."""
    return [arg for a in args for arg in (QUICK if a == "--quick" else [a])]


def test(args: list[str]) -> int:
    ensure_env()
    args = pytest_args(args)
    for check in CHECKS:
        print("dev.py:", " ".join(check), file=sys.stderr)
        code = run([*check, *args] if check[0] == "pytest" else check)
        if code:
            return code
    return 0


def test_lowest(args: list[str]) -> int:
    ensure_env(LOWEST_VENV, lowest_constraints())
    print(
        f"dev.py: pytest on the lowest versions ({versions(LOWEST_VENV, *RUNTIME)})",
        file=sys.stderr,
    )
    return run(["pytest", "-q", *PARALLEL, *pytest_args(args)], LOWEST_VENV)


RUNTIME = ("typer", "rich", "pydantic")

# Runs inside an environment: a warm `skills` (its KB read from the cache the first run
# wrote), then tells whether pydantic was imported and which Typer ran.
PROBE = """
import json, sys
from importlib.metadata import version
from rolecompare.main import run
code = run(sys.argv[1:])
print(json.dumps({"code": code, "pydantic": "pydantic" in sys.modules,
                  "typer": version("typer")}), file=sys.stderr)
"""


def probe(python: Path, cache: Path, argv: list[str]) -> dict[str, object]:
    env = {**os.environ, "ROLECOMPARE_CACHE_DIR": str(cache)}
    subprocess.run([str(python), "-m", "rolecompare", *argv], env=env, capture_output=True)
    done = subprocess.run(
        [str(python), "-c", PROBE, *argv], env=env, capture_output=True, text=True, timeout=120
    )
    found: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


def warm_ms(python: Path, cache: Path, argv: list[str]) -> float:
    env = {**os.environ, "ROLECOMPARE_CACHE_DIR": str(cache)}
    times = []
    for _ in range(PIN_RUNS):
        start = time.perf_counter()
        subprocess.run(
            [str(python), "-m", "rolecompare", *argv], env=env, capture_output=True, check=True
        )
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def check_typer_pin() -> int:
    """Exit 0 while typer<0.29 is needed, 1 when it can go, 2 if that cannot be told."""
    ensure_env()
    argv = ["skills"]
    with tempfile.TemporaryDirectory(prefix="rolecompare-typer-") as tmp:
        work = Path(tmp)
        newest = work / "venv"
        venv.EnvBuilder(with_pip=True).create(newest)
        loose = work / "constraints.txt"
        pinned = CONSTRAINTS.read_text()
        typer_deps = {"typer", "shellingham", "annotated-doc", "click"}
        loose.write_text(
            "\n".join(line for line in pinned.splitlines() if names(line).isdisjoint(typer_deps))
        )
        # The project itself without its dependencies (its typer<0.29 would win), then
        # the newest Typer and the runtime dependencies at their pinned versions. pip's
        # complaint that this breaks the project's own typer<0.29 is the point: hidden.
        for step in (
            ["install", "--no-deps", str(ROOT)],
            ["install", "-c", str(loose), "-U", "typer", "rich", "pydantic"],
        ):
            done = subprocess.run([*pip(newest), *step], capture_output=True, text=True)
            if done.returncode:
                print(done.stdout + done.stderr, file=sys.stderr)
                print("dev.py: could not install the newest typer", file=sys.stderr)
                return 2
        current, candidate = bin_dir(VENV) / "python", bin_dir(newest) / "python"
        try:
            now = probe(current, work / "cache-now", argv)
            new = probe(candidate, work / "cache-new", argv)
            pinned_ms = warm_ms(current, work / "cache-now", argv)
            newest_ms = warm_ms(candidate, work / "cache-new", argv)
        except (OSError, ValueError, IndexError, subprocess.SubprocessError) as exc:
            print(f"dev.py: could not run rolecompare to compare: {exc}", file=sys.stderr)
            return 2
        shutil.rmtree(work / "venv", ignore_errors=True)
    ratio = newest_ms / pinned_ms
    print(
        f"typer {now['typer']} (pinned): warm `rolecompare skills` {pinned_ms:.0f} ms, "
        f"pydantic imported: {'yes' if now['pydantic'] else 'no'}\n"
        f"typer {new['typer']} (newest): warm `rolecompare skills` {newest_ms:.0f} ms "
        f"({ratio:.2f}x), pydantic imported: {'yes' if new['pydantic'] else 'no'}"
    )
    if new["code"] != 0:
        print(f"Keep the pin: `rolecompare skills` fails with typer {new['typer']}.")
        return 0
    if new["pydantic"] and not now["pydantic"]:
        print(f"Keep the pin: typer {new['typer']} still imports pydantic on start-up.")
        return 0
    if ratio > PIN_SLOWDOWN_ALLOWED:
        print(f"Keep the pin: typer {new['typer']} is {ratio:.2f}x as slow to start.")
        return 0
    print(
        f"The pin can go: typer {new['typer']} imports no pydantic on start-up and starts "
        f"within {PIN_SLOWDOWN_ALLOWED:.2f}x. Raise it in pyproject.toml and "
        "constraints-dev.txt, then run python3 dev.py test and scripts/bench.py --check."
    )
    return 1


def main() -> int:
    args = sys.argv[1:]
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if args else 2
    if args[0] == "test":
        return test(args[1:])
    if args[0] == "test-lowest":
        return test_lowest(args[1:])
    if args[0] == "check-typer-pin":
        return check_typer_pin()
    ensure_env()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
