"""The bundled KB: every file valid on its own, the whole valid together, and the
read-side shapes in kb.py in step with the pydantic models."""

from __future__ import annotations

import shutil
import tomllib
import typing
from pathlib import Path

import pytest

from rolecompare.errors import KBError
from rolecompare.kb import schema as models
from rolecompare.kb import types as kb
from rolecompare.kb.check import model_for
from rolecompare.kb.files import FOLDERS, bundled_kb
from rolecompare.kb.load import validate_dir

ROOT = Path(__file__).resolve().parents[1]
KB_FILES = sorted(p for folder in FOLDERS for p in (ROOT / "data" / folder).rglob("*.toml"))


@pytest.mark.parametrize("path", KB_FILES, ids=[str(p.relative_to(ROOT)) for p in KB_FILES])
def test_each_kb_file_is_valid(path: Path) -> None:
    folder = path.relative_to(ROOT / "data").parts[0]
    model_for(folder).model_validate(tomllib.loads(path.read_text("utf-8")))


def test_bundled_kb_is_valid_and_has_both_roles() -> None:
    data = validate_dir(bundled_kb())
    assert [r["id"] for r in data["roles"]] == ["ds", "mle"]
    assert {s["id"] for s in data["sources"]} == {
        "365datascience",
        "acte",
        "bls-ooh",
        "onet",
        "data-jobs-2023",
        "asaniczka-2024",
        "aijobs-salaries",
    }


def test_a_third_role_needs_no_code(tmp_path: Path) -> None:
    """Adding a role is adding files: copy the bundled KB, add a role and its facts."""
    root = tmp_path / "kb"
    shutil.copytree(ROOT / "data", root)
    (root / "roles" / "de.toml").write_text(
        '[role]\nid = "de"\nname = "Data Engineer"\naliases = ["data engineering"]\n'
    )
    (root / "facts" / "acte" / "de.toml").write_text(
        'source = "acte"\nroles = ["de"]\n\n[[statements]]\ntopic = "responsibilities"\n'
        'text = "Builds pipelines"\nquote = "pipelines"\n'
    )
    data = validate_dir(root)
    assert [r["id"] for r in data["roles"]] == ["de", "ds", "mle"]


def _fields(typed: type) -> set[str]:
    return set(typing.get_type_hints(typed))


@pytest.mark.parametrize(
    ("model", "typed", "added"),
    [
        (models.Source, kb.SourceData, set()),
        (models.Role, kb.RoleData, set()),
        (models.Topic, kb.TopicData, set()),
        (models.Term, kb.TermData, set()),
        (models.Money, kb.MoneyData, set()),
        (models.MoneyRange, kb.MoneyRangeData, set()),
        (models.Share, kb.ShareData, set()),
        (models.Pay, kb.PayData, set()),
        (models.Counted, kb.CountedData, set()),
        (models.Figure, kb.FigureData, {"source", "roles"}),
        (models.Statement, kb.StatementData, {"source", "roles"}),
        (models.Step, kb.StepData, set()),
        (models.Ladder, kb.LadderData, {"source", "roles"}),
        (models.Record, kb.RecordData, set()),
        (models.Contradiction, kb.ContradictionData, {"source", "roles"}),
    ],
)
def test_read_side_shapes_match_the_models(
    model: type[models.Strict], typed: type, added: set[str]
) -> None:
    assert set(model.model_fields) | added == _fields(typed)
    hints = typing.get_type_hints(typed)
    for name, field in model.model_fields.items():
        assert _plain(field.annotation) == _plain(hints[name]), f"{typed.__name__}.{name}"


def _plain(tp: object) -> object:
    """A type as the validated data holds it: constraints dropped, literals as their type,
    nested models as the TypedDict that describes them."""
    import types

    models_to_data = {
        models.Money: kb.MoneyData,
        models.MoneyRange: kb.MoneyRangeData,
        models.Step: kb.StepData,
        models.Record: kb.RecordData,
        models.Share: kb.ShareData,
        models.Pay: kb.PayData,
        models.Counted: kb.CountedData,
    }
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        return _plain(args[0])
    if origin is typing.Literal:
        return frozenset(type(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return frozenset(_plain(a) for a in args)
    if origin in (list, dict):
        return (origin, *(_plain(a) for a in args))
    if isinstance(tp, type) and tp in models_to_data:
        return models_to_data[tp]
    return frozenset([tp]) if tp in (str, int, float, bool, type(None)) else tp


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(ROOT / "tests" / "fixtures" / "kb3", root)
    facts = root / "facts" / "survey" / "ds.toml"
    text = facts.read_text().replace("percent = 60.5", "percent = 156.7")
    facts.write_text(text.replace('source = "survey"', 'source = "nowhere"'))
    (root / "roles" / "de.toml").write_text(
        '[role]\nid = "de"\nname = "Data Engineer"\naliases = ["ds"]\ncolour = "blue"\n'
    )
    with pytest.raises(KBError) as caught:
        validate_dir(root)
    shown = [str(p) for p in caught.value.problems]
    assert shown == [
        # de's facts now name a role that failed validation
        "kb/facts/survey/de.toml:2: roles[0]: unknown role 'de'; known: ds, mle",
        "kb/facts/survey/ds.toml:7: figures[0].percent: input should be less than or equal to 100",
        "kb/roles/de.toml:5: role.colour: unknown field",
    ]


def test_shipped_kb_is_the_bundled_kb_validated() -> None:
    """What the package ships as validated is exactly what validating data/ gives."""
    import json

    from rolecompare.kb import cache, shipped
    from rolecompare.kb.files import read_kb_files

    files, problems = read_kb_files(bundled_kb())
    assert problems == []
    key = cache.key_for((f.rel, f.data) for f in files)
    head, body = shipped.SHIPPED.read_text("utf-8").split("\n", 1)
    assert json.loads(head) == key, "stale: run python3 dev.py python scripts/ship_kb.py"
    assert json.loads(body) == validate_dir(bundled_kb())
    assert shipped.read(key) == validate_dir(bundled_kb())
    assert shipped.read("0" * 64) is None
