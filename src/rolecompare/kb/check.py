"""One KB file checked on its own: its text parsed, its document validated by the
model of its folder, and its records dumped for the rules that span files.

    problems, records = check_file(kb_file)

Pure: it reads nothing but the file's bytes, and a problem's line is looked for only
when there is a problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rolecompare.errors import Problem, Unparsable, field_path
from rolecompare.kb import syntax

if TYPE_CHECKING:
    from types import ModuleType

    from rolecompare.kb.files import KBFile
    from rolecompare.kb.rules import Located
    from rolecompare.kb.schema import Strict

# What a file holds, by kind: the fact files' records are whole documents.
KINDS = ("sources", "roles", "topics", "terms", "facts")
Records = dict[str, list["Located"]]
Checked = tuple[list[Problem], Records]


def _schema() -> ModuleType:
    """The models' module. Importing it builds every model's validator, and a Ctrl-C that
    lands inside pydantic-core's building comes out as its own error (or, on older
    releases, a Rust panic printed to stderr): the import runs whole, the press after it."""
    from rolecompare.main import ctrl_c_held

    with ctrl_c_held():
        from rolecompare.kb import schema
    return schema


def model_for(folder: str) -> type[Strict]:
    """The pydantic model that every file in a KB folder must satisfy."""
    schema = _schema()
    models: dict[str, type[Strict]] = {
        "sources": schema.SourceFile,
        "roles": schema.RoleFile,
        "vocabulary": schema.VocabularyFile,
        "facts": schema.FactFile,
    }
    return models[folder]


def check_file(f: KBFile) -> Checked:
    """A file's problems, or its records if it has none."""
    from pydantic import ValidationError

    try:
        text = syntax.decode(f.data)
        raw = syntax.parse(f.rel, text)
    except Unparsable as exc:
        return [Problem(f.rel, exc.line, field_path(exc.path), exc.message)], {}
    try:
        model = model_for(f.folder).model_validate(raw)
    except ValidationError as exc:
        return _placed(f.rel, text, exc.errors(include_url=False)), {}
    return [], records(f.rel, model)


def _placed(rel: str, text: str, errors: list[Any]) -> list[Problem]:
    """A problem for each error of a file's model, on the line of its field."""
    index = syntax.line_index(rel, text)
    problems = []
    for err in errors:
        loc = tuple(err["loc"])
        problems.append(Problem(rel, index.locate(loc), field_path(loc), _message(err)))
    return problems


def records(rel: str, m: Any) -> Records:
    """The records of a valid file, each with where it came from."""
    from rolecompare.kb.rules import Located

    schema = _schema()

    if isinstance(m, schema.SourceFile):
        return {"sources": [Located(rel, ("source",), m.source.model_dump())]}
    if isinstance(m, schema.RoleFile):
        return {"roles": [Located(rel, ("role",), m.role.model_dump())]}
    if isinstance(m, schema.VocabularyFile):
        return {
            "topics": [Located(rel, ("topics", i), t.model_dump()) for i, t in enumerate(m.topics)],
            "terms": [Located(rel, ("terms", i), t.model_dump()) for i, t in enumerate(m.terms)],
        }
    return {"facts": [Located(rel, (), m.model_dump())]}


def _message(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "missing":
        return "required field is missing"
    return msg[0].lower() + msg[1:] if msg else msg
