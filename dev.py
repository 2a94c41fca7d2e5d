"""Set up rolecompare's development environment if needed, then run a command in it.

    python3 dev.py rolecompare skills   # any rolecompare command
    python3 dev.py test                 # ruff, mypy --strict, then the whole test suite

Needs only Python 3.11+. The first run makes .venv/ and installs the project
(editable) with its dev extra from PyPI, at the versions constraints-dev.txt pins;
later runs reinstall only when pyproject.toml or constraints-dev.txt has changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".rolecompare-installed"
CONSTRAINTS = ROOT / "constraints-dev.txt"
CHECKS = [
    ["ruff", "check", "."],
    ["ruff", "format", "--check", "."],
    ["mypy"],
    ["pytest", "-q"],
]


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by any python3
        sys.exit(f"rolecompare needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + CONSTRAINTS.read_bytes()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("dev.py: installing rolecompare and its dev tools into .venv", file=sys.stderr)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-c", str(CONSTRAINTS), "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(argv: list[str]) -> int:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(argv, cwd=ROOT, env=env).returncode


def main() -> int:
    args = sys.argv[1:]
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if args else 2
    ensure_env()
    if args[0] == "test":
        for check in CHECKS:
            print("dev.py:", " ".join(check), file=sys.stderr)
            code = run([*check, *args[1:]] if check[0] == "pytest" else check)
            if code:
                return code
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
