"""Role ids and term names for shell completion, without validating the KB.

Completion runs on every Tab press, so it reads only the role or vocabulary files
(role files and TOML vocabulary files with regular expressions, not a parser; a JSON
vocabulary file with the json module, which reads one in milliseconds), under the
same limits as the loader (regular files only, bounded reads, a bounded number of
files), and at most MAX_READ bytes of a folder in all for one Tab press; suggestions
from a broken KB are harmless, and every command still validates the KB before using it.
"""

from __future__ import annotations

import functools
import os
import re
import stat

from rolecompare.kb.files import MAX_FILES, OPEN_FILE, OPEN_FOLDER, is_kb_name, resolve_kb_dir

# Not a TOML parser (tomllib costs ~1.6 ms of every Tab): the `id = "..."` line of [role];
# in a JSON role file, the first "id" key (the importer writes it first). Bytes, so that
# 1,016 role files need no decoding.
_ID = re.compile(rb"""^[ \t]*id[ \t]*=[ \t]*(?:"([a-z0-9-]{1,64})"|'([a-z0-9-]{1,64})')""", re.M)
_JSON_ID = re.compile(rb'"id"[ \t\r\n]*:[ \t\r\n]*"([a-z0-9-]{1,64})"')
MAX_ROLE_FILE = 64 * 1024
# Bytes read from one folder for one Tab press, however many files it holds: the O*NET KB's
# whole vocabulary is 1 MB, its 1,016 role files less. Beyond it, files are left out (500
# vocabulary files of 1 MB cost each Tab press 10.7 s and 515 MB).
MAX_READ = 8 * 1024 * 1024
_BY_FD = os.listdir in os.supports_fd and os.open in os.supports_dir_fd  # not on Windows


def _files(kb_option: str | None, folder: str, limit: int) -> list[tuple[str, bytes]]:
    """The name and bytes of each KB file in one folder of the KB, read as the loader
    reads (regular files only, at most `limit` bytes each, MAX_READ in all); what cannot
    be read, or would go over MAX_READ, is left out.

    Where the platform allows, the folder is opened once and each file relative to it,
    rather than its whole path walked again: 1,016 role files in the O*NET KB."""
    # The word as the shell gives it to completion, before its own tilde expansion, which
    # it makes when it runs the command: `--kb ~/kb` means the same folder here.
    typed = os.path.expanduser(kb_option) if kb_option else kb_option
    where = os.path.join(resolve_kb_dir(typed), folder)
    try:
        fd = os.open(where, OPEN_FOLDER) if _BY_FD else None
    except OSError:
        return []
    try:
        names = sorted(n for n in os.listdir(where if fd is None else fd) if is_kb_name(n))
        found = []
        left = MAX_READ
        for name in names[:MAX_FILES]:
            path = name if fd is not None else os.path.join(where, name)
            data = _read_small(path, fd, min(limit, left))
            if data:
                found.append((name, data))
                left -= len(data)
        return found
    except OSError:
        return []
    finally:
        if fd is not None:
            os.close(fd)


def _read_small(path: str, folder: int | None, limit: int) -> bytes:
    """A regular file of at most limit bytes, in one read (files.read_bounded reads until
    it sees the end: one more system call per file, 1,016 more in the O*NET KB); b"" for
    anything else. path is relative to the folder's descriptor, if there is one."""
    try:
        fd = os.open(path, OPEN_FILE, dir_fd=folder)
    except OSError:
        return b""
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return b""
        return os.read(fd, info.st_size)  # what it grew by since is for validation to see
    except OSError:
        return b""
    finally:
        os.close(fd)


# The most digits of a word index that bash gives in COMP_CWORD (a line of a million words).
MAX_INDEX_DIGITS = 6


def is_word_index(text: str | None) -> bool:
    """Whether text is a word index as bash gives it: plain ASCII digits, not too many
    (int() refuses more than 4,300 of them, and takes "²" or " 5" for digits, or not)."""
    return (
        text is not None
        and 0 < len(text) <= MAX_INDEX_DIGITS
        and text.isdecimal()
        and (text.isascii())
    )


def settle_shell_words() -> None:
    """COMP_WORDS and COMP_CWORD as bash gives them, whatever the environment holds:
    Typer's bash completion reads both, and COMP_CWORD with int(), so that one missing,
    not a number or 5,000 digits long was an internal error. Without a usable index, the
    cursor is on the last word, or after it if the line ends in a space."""
    line = os.environ.setdefault("COMP_WORDS", "")
    if not is_word_index(os.environ.get("COMP_CWORD")):
        words = len(line.split())
        ended = not line or line[-1].isspace()
        os.environ["COMP_CWORD"] = str(words if ended else words - 1)


def words_before_cursor() -> list[str]:
    """In shell completion, the words before the one being completed, without the
    program, read as Typer's completion classes read them for the shell that
    _ROLECOMPARE_COMPLETE names (complete_bash, complete_zsh, complete_fish, ...):
    bash gives COMP_WORDS and the index of the current word in COMP_CWORD; zsh, fish
    and PowerShell give the line up to the cursor in _TYPER_COMPLETE_ARGS, where the
    last word is being completed unless the line ends in a space (PowerShell: unless
    _TYPER_COMPLETE_WORD_TO_COMPLETE is empty). [] for a line that cannot be split."""
    import shlex

    shell = os.environ.get("_ROLECOMPARE_COMPLETE", "").partition("_")[2]
    if shell == "bash":
        settle_shell_words()
        line = os.environ["COMP_WORDS"]
    else:
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    try:
        words = shlex.split(line)
    except ValueError:  # an unclosed quote: leave it to the whole app
        return []
    if shell == "bash":
        return words[1 : int(os.environ["COMP_CWORD"])]
    if shell in ("powershell", "pwsh"):
        typing = bool(os.environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE"))
    else:
        typing = bool(words[1:]) and not line.endswith(" ")
    return words[1:-1] if typing else words[1:]


def role_ids(kb_option: str | None) -> list[str]:
    found = (_role_id(name, data) for name, data in _files(kb_option, "roles", MAX_ROLE_FILE))
    return [rid for rid in found if rid]


def _role_id(name: str, data: bytes) -> str | None:
    if name.endswith(".json"):
        match = _JSON_ID.search(data)
        return match.group(1).decode() if match else None
    match = _ID.search(data)
    return (match.group(1) or match.group(2)).decode() if match else None


# The same shortcut for the vocabulary: each [[terms]] block's kind, name and aliases,
# compiled only when terms are completed.
MAX_VOCABULARY_FILE = 1024 * 1024


@functools.cache
def _vocabulary_patterns() -> tuple[re.Pattern[str], ...]:
    return (
        re.compile(r"^\[\[terms\]\]", re.M),
        re.compile(r"""^[ \t]*kind[ \t]*=[ \t]*["'](skill|tool|degree)["']""", re.M),
        re.compile(r"""^[ \t]*name[ \t]*=[ \t]*(?:"([^"\n]{1,80})"|'([^'\n]{1,80})')""", re.M),
        re.compile(r"""^[ \t]*aliases[ \t]*=[ \t]*\[([^\]\n]{0,2000})\]""", re.M),
        re.compile(r""""([^"\n]{1,80})"|'([^'\n]{1,80})'"""),
    )


def term_names(kb_option: str | None) -> list[str]:
    """Every skill's, tool's and degree's name and aliases, lower case, sorted."""
    block_start, kind, term_name, aliases_of, quoted = _vocabulary_patterns()
    found: set[str] = set()
    for name, data in _files(kb_option, "vocabulary", MAX_VOCABULARY_FILE):
        text = data.decode("utf-8", "replace")
        if name.endswith(".json"):
            found.update(_json_term_names(text))
            continue
        for block in block_start.split(text)[1:]:
            if not kind.search(block):
                continue
            match = term_name.search(block)
            if match:
                found.add((match.group(1) or match.group(2)).casefold())
            aliases = aliases_of.search(block)
            if aliases:
                found.update((a or b).casefold() for a, b in quoted.findall(aliases.group(1)))
    return sorted(found)


def _json_term_names(text: str) -> set[str]:
    """The same from a JSON vocabulary file (at most MAX_VOCABULARY_FILE bytes, parsed
    whole: the json module reads one in a few milliseconds)."""
    import json

    try:
        doc: object = json.loads(text)
    except (ValueError, RecursionError):
        return set()
    terms = doc.get("terms") if isinstance(doc, dict) else None
    found: set[str] = set()
    for term in terms if isinstance(terms, list) else []:
        if not isinstance(term, dict) or term.get("kind") not in ("skill", "tool", "degree"):
            continue
        aliases = term.get("aliases")
        names = [term.get("name"), *(aliases if isinstance(aliases, list) else [])]
        found.update(n.casefold() for n in names if isinstance(n, str) and 0 < len(n) <= 80)
    return found
