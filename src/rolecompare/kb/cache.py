"""A validated KB kept between runs, so that a second run skips parsing and pydantic.

An entry, `kb-<key>.json`, is read in pieces, each checked against its own checksum
as it is read, so that a run reads only what it shows:

    rolecompare-cache-2 <checksum of the head> <length of the head>
    {"base": {sources, roles, topics}, "terms": place, "parts": {role id: "place;place"}}
    piece, piece, ... (one a line: JSON lists)

A place is "kind offset length checksum", the offset counted from the end of the
head's line. The pieces are the whole vocabulary (kind "vocabulary"); each part, a
run of consecutive facts of one kind about the same roles; and for each set of roles
that facts are about, the terms those facts name (kind "terms"). A part's place is
listed under each role it is about; places are plain strings, which decode faster
than JSON arrays. A run reads the first line and
the head, then, with lseek and read, only the pieces of the roles it shows, never
beyond the entry's size: a comparison reads only the terms its facts name; fit and
plan --have read the whole vocabulary, to match what the user says they have.

Why split, and what it saves on the O*NET KB: docs/performance.md,
"What rolecompare does for speed".

The key (load.py) sums up the program's version, the KB folder's absolute path
and each KB file's path, size, times and inode, as git's index does, so a run
that finds its entry reads no KB file at all, and a changed file gets a new key.
An entry is written under the key of the files as they were read (each one's stat
from the descriptor it was read from), never under one taken before reading.
The sums are zlib's CRC-32 and Adler-32 rather than a cryptographic hash (hashlib
would cost every run memory and time): a KB crafted to collide can only collide with
an earlier state of itself, in the same folder. Entries are written atomically
(temporary file, then rename). Pruning removes only files that start as every entry
starts ("rolecompare-cache-"): the folder may hold anything else of the user's.

Trust (docs/security.md, "The cache"): an entry is used only from a folder that the current
user owns and no one else can write, as ssh and pip require, and only if the entry
itself is a regular file of that user's that no one else can write, opened without
following a symlink and read no further than its size. Anything else, and any
failure to read, check or decode an entry, of any kind, means "validate again".
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import zlib
from collections.abc import Callable
from typing import Any, cast

from rolecompare import __version__
from rolecompare.kb.cachedir import CACHE_ENV as CACHE_ENV
from rolecompare.kb.cachedir import KEEP_ENTRIES as KEEP_ENTRIES
from rolecompare.kb.cachedir import cache_dir as cache_dir
from rolecompare.kb.cachedir import make_private_dir, prune, user_id
from rolecompare.kb.cachedir import trusted_dir as trusted_dir
from rolecompare.kb.files import OPEN_FILE
from rolecompare.kb.types import FACT_KINDS, KB, TermData
from rolecompare.main import collector_paused, ctrl_c_held

MAX_ENTRY_BYTES = 512 * 1024 * 1024
MAGIC = b"rolecompare-cache-2"  # an entry of another layout is never believed
FIRST_LINE_MAX = 64


BASE_KINDS = ("sources", "roles", "topics")
# A part holds facts of one kind about the same roles, or ("terms") the terms they name.
PART_KINDS = (*FACT_KINDS, "terms")
PLACE_KINDS = frozenset((*PART_KINDS, "vocabulary"))


def key_for(files: Any, where: str = "") -> str:
    """A key for KB files: files is an iterable of (path shown, bytes); where, anything
    else the key must depend on (a folder's path, its files' signature)."""
    crc, adler = 0, 1
    for chunk in _chunks(files, where):
        crc, adler = zlib.crc32(chunk, crc), zlib.adler32(chunk, adler)
    return f"{crc:08x}{adler:08x}"


class Entry:
    """A cached KB: the base at once; the vocabulary and each part's facts read, checked
    against their own checksum and decoded only when asked for."""

    def __init__(
        self, base: dict[str, Any], terms: str, parts: dict[str, str], read_at: ReadAt
    ) -> None:
        self.base = base  # sources, roles and topics
        self.terms = terms  # the place of the whole vocabulary: "vocabulary offset length sum"
        self.parts = parts  # role id -> the places of the parts about it, joined by ";"
        self._read_at = read_at

    def kb(self, roles: set[str] | None = None, every_term: bool = True) -> KB:
        """The KB with every fact, or only the facts about one of roles; with every term,
        or (every_term=False) at least those the facts name. Raises ValueError or OSError
        if a piece it reads is not what the head says it is."""
        named = roles is not None and not every_term
        about = self.parts.values() if roles is None else [self.parts.get(r, "") for r in roles]
        places = sorted(map(_place, {p for one in about for p in one.split(";") if p}))
        found: dict[str, list[Any]] = {kind: [] for kind in PART_KINDS}
        for offset, length, checksum, kind in places:  # in the KB's order: by offset
            if named or kind != "terms":
                found[kind] += self._piece(offset, length, checksum)
        terms = found.pop("terms")
        if not named:
            offset, length, checksum, kind = _place(self.terms)
            if kind != "vocabulary":
                raise ValueError("the head does not place the vocabulary")
            terms = self._piece(offset, length, checksum)
        fields = TermData.__annotations__.keys()
        if not all(isinstance(t, dict) and t.keys() == fields for t in terms):
            raise ValueError("the vocabulary is not what this version writes")
        if named:
            terms = list({t["id"]: t for t in terms}.values())  # a term two roles name: once
        return cast(KB, {**self.base, "terms": terms, **found})

    def _piece(self, offset: int, length: int, checksum: str) -> list[Any]:
        data = self._read_at(offset, length)
        if _checksum(data) != checksum.encode():
            raise ValueError("a piece does not match its checksum")
        value = _loads(data)
        if not isinstance(value, list):
            raise ValueError("a piece is not a list")
        return value


def _place(text: str) -> tuple[int, int, str, str]:
    """(offset, length, checksum, kind) of a place written "kind offset length checksum"."""
    kind, offset, length, checksum = text.split(" ")
    if kind not in PLACE_KINDS or not (offset.isdecimal() and length.isdecimal()):
        raise ValueError(f"not a place: {text[:80]!r}")
    return int(offset), int(length), checksum, kind


def _chunks(files: Any, where: str) -> Any:
    yield f"rolecompare {__version__}\0{where}\0".encode("utf-8", "surrogateescape")
    for name, data in files:
        yield b"\0%s\0%d\0" % (name.encode("utf-8", "surrogateescape"), len(data))
        yield data


def _checksum(data: bytes | memoryview) -> bytes:
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}".encode()


def read(key: str) -> Entry | None:
    """The cached KB for key, or None if there is no entry this user may trust. Only the
    first line and the head are read here; the pieces are read when the KB is asked for."""
    folder = cache_dir()
    if folder is None or not trusted_dir(folder):
        return None
    try:
        fd = os.open(folder / f"kb-{key}.json", OPEN_FILE)
    except OSError:
        return None
    entry = None
    try:
        info = os.fstat(fd)
        if (
            stat.S_ISREG(info.st_mode)
            and info.st_uid == user_id()
            and not info.st_mode & 0o022
            and info.st_size <= MAX_ENTRY_BYTES
        ):
            entry = _open_entry(_file_reader(fd, info.st_size), info.st_size)
    except Exception:
        entry = None
    if entry is None:
        os.close(fd)
        return None
    import weakref

    weakref.finalize(entry, os.close, fd)  # the pieces are read from fd later
    return entry


def decode(data: bytes) -> Entry | None:
    """The entry that data, the whole of an entry file, holds; None if it is not one."""

    def read_at(offset: int, length: int) -> bytes:
        if offset < 0 or length < 0 or offset + length > len(data):
            raise ValueError("a piece beyond the entry's end")
        return data[offset : offset + length]

    try:
        return _open_entry(read_at, len(data))
    except Exception:
        return None


ReadAt = Callable[[int, int], bytes]


def _file_reader(fd: int, size: int) -> ReadAt:
    """A function that reads length bytes at offset of fd, never beyond size."""

    def read_at(offset: int, length: int) -> bytes:
        if offset < 0 or length < 0 or offset + length > size:
            raise ValueError("a piece beyond the entry's end")
        os.lseek(fd, offset, os.SEEK_SET)
        data = _read_exactly(fd, length)
        if data is None:
            raise ValueError("the entry shrank while it was read")
        return data

    return read_at


def _read_exactly(fd: int, size: int) -> bytes | None:
    """size bytes of fd, or None if it holds fewer (it shrank while we read)."""
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(fd, left)  # a regular file: usually all of it at once
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _open_entry(read_at: ReadAt, size: int) -> Entry | None:
    """The entry whose first line and head check out; its pieces are checked when read."""
    first = read_at(0, min(size, FIRST_LINE_MAX))
    end = first.find(b"\n")
    fields = first[:end].split(b" ") if end > 0 else []
    if len(fields) != 3 or fields[0] != MAGIC or not fields[2].isdigit():
        return None
    checksum, length = fields[1], int(fields[2])
    head = read_at(end + 1, length)
    if _checksum(head) != checksum:
        return None
    doc = _loads(head)
    if not _well_formed(doc):
        return None
    body = end + 1 + length + 1

    def in_body(offset: int, length: int) -> bytes:
        return read_at(body + offset, length)

    return Entry(doc["base"], doc["terms"], doc["parts"], in_body)


def _well_formed(doc: Any) -> bool:
    """The head has the shape this version writes: the base, used at once, in full; the
    places of the pieces as strings, each checked when it is read."""
    if not isinstance(doc, dict) or doc.keys() != {"base", "terms", "parts"}:
        return False
    base, parts = doc["base"], doc["parts"]
    if not isinstance(base, dict) or base.keys() != set(BASE_KINDS) or type(parts) is not dict:
        return False
    for kind, fields in _base_fields().items():
        if not isinstance(base[kind], list) or not all(
            type(r) is dict and r.keys() == fields for r in base[kind]
        ):
            return False
    return type(doc["terms"]) is str and all(type(p) is str for p in parts.values())


def _loads(data: bytes) -> Any:
    with collector_paused():
        return json.loads(data)


def _base_fields() -> dict[str, Any]:
    from rolecompare.kb.types import RoleData, SourceData, TopicData

    kinds = zip(BASE_KINDS, (SourceData, RoleData, TopicData), strict=True)
    return {kind: typed.__annotations__.keys() for kind, typed in kinds}


def encode(kb: KB) -> bytes:
    """A whole entry: the first line, the head, then the pieces: the vocabulary; each part,
    a run of same-kind facts about the same roles; and for each set of roles that facts
    are about, the terms those facts name. The head holds the base and the places of the
    pieces, "kind offset length checksum": the vocabulary's, and under each role's id
    those of the parts about it, joined by ";". Each piece ends in a newline."""
    pieces: list[bytes] = [_dump(kb["terms"])]
    about: list[tuple[str, list[str]]] = [("vocabulary", [])]
    for kind in FACT_KINDS:
        facts: list[Any] = kb[kind]  # type: ignore[literal-required]
        start = 0
        for i in range(1, len(facts) + 1):
            if i == len(facts) or facts[i]["roles"] != facts[start]["roles"]:
                about.append((kind, facts[start]["roles"]))
                pieces.append(_dump(facts[start:i]))
                start = i
    for named, terms in _named_terms(kb).items():
        about.append(("terms", list(named)))
        pieces.append(_dump(terms))
    offset, places = 0, []
    parts: dict[str, str] = {}  # role id -> the places of the parts about it
    for (kind, roles), piece in zip(about, pieces, strict=True):
        places.append(f"{kind} {offset} {len(piece)} {_checksum(piece).decode()}")
        offset += len(piece) + 1
        for role in roles:
            parts[role] = f"{parts[role]};{places[-1]}" if role in parts else places[-1]
    base = {kind: kb[kind] for kind in BASE_KINDS}  # type: ignore[literal-required]
    head = _dump({"base": base, "terms": places[0], "parts": parts})
    first = b"%s %s %d\n" % (MAGIC, _checksum(head), len(head))
    return b"".join([first, head, b"\n", *(piece + b"\n" for piece in pieces)])


def _named_terms(kb: KB) -> dict[tuple[str, ...], list[Any]]:
    """For each set of roles that facts are about, the terms those facts name (as their
    item or among their terms), each once, in the order first named."""
    terms = {t["id"]: t for t in kb["terms"]}
    named: dict[tuple[str, ...], dict[str, None]] = {}
    for kind in FACT_KINDS:
        for fact in kb[kind]:  # type: ignore[literal-required]
            ids = named.setdefault(tuple(fact["roles"]), {})
            ids.update(dict.fromkeys([fact.get("item"), *fact.get("terms", [])]))
    return {roles: [terms[i] for i in ids if i in terms] for roles, ids in named.items()}


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def write(key: str, kb: KB) -> None:
    """Keep kb for the next run, if there is a folder this user may trust; else nothing."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    content = encode(kb)
    tmp = None
    try:
        make_private_dir(folder)
        if not trusted_dir(folder):
            return
        with ctrl_c_held():  # a name made is a name noted, for the removal below
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".kb-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        with ctrl_c_held():
            os.replace(tmp, folder / f"kb-{key}.json")
            tmp = None
        prune(folder)
    except OSError:
        pass  # a cache we cannot write only costs the next run a validation
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
