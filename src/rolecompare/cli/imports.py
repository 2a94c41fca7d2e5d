"""`rolecompare import onet` and `import postings`: the commands that make a KB folder
from official data (the group `import` of cli.table.GROUPS)."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from rolecompare.cli.commands import load
from rolecompare.cli.options import KBOption, OutKBOption
from rolecompare.errors import UsageError

if TYPE_CHECKING:
    from rolecompare.importers.postings import Options

DBDirArgument = Annotated[
    str, typer.Argument(metavar="DB_DIR", help="A folder of the O*NET database's text files.")
]
OccupationsOption = Annotated[
    str | None,
    typer.Option(
        "--occupations",
        metavar="CODES",
        help="Comma-separated O*NET-SOC codes, e.g. 15-2051.00,15-1221.00.",
    ),
]
AllOption = Annotated[bool, typer.Option("--all", help="Every occupation in the database.")]
ReplaceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace KB_DIR if it holds a KB and nothing else (its KB files are deleted).",
    ),
]


def import_onet(
    db_dir: DBDirArgument,
    out: OutKBOption,
    occupations: OccupationsOption = None,
    all_: AllOption = False,
    force: ReplaceOption = False,
) -> None:
    """Write a KB of O*NET occupations, each fact with its record.

    DB_DIR is a folder of the O*NET database's text files (db_29_2_text). Then compare
    any two occupations by code:

    \b
        rolecompare import onet DB_DIR --out my-kb \\
            --occupations 15-2051.00,15-1221.00
        rolecompare --kb my-kb tools \\
            --roles 15-2051.00,15-1221.00
    """
    import sys
    from pathlib import Path

    from rolecompare.importers.onet import import_onet as run_import
    from rolecompare.text import shown_path

    if all_ == (occupations is not None):
        raise UsageError("give --occupations CODE,CODE,... or --all (one of the two)")
    codes = None if all_ else [c.strip() for c in (occupations or "").split(",")]
    if out == "":
        raise UsageError("--out is empty; give the KB folder to write")
    summary = run_import(Path(db_dir), Path(out), codes, force=force)
    print(summary.describe(), file=sys.stderr)
    if summary.kept is not None:
        print(
            f"kept {shown_path(summary.kept)}: what the replaced KB held that is not a KB file",
            file=sys.stderr,
        )


def _column(about: str) -> Any:
    """The option of a column of the postings files, named after its parameter."""
    return typer.Option(metavar="COLUMN", help=about)


FilesArgument = Annotated[
    list[str],
    typer.Argument(metavar="FILE...", help="Postings: CSV, gzip'd CSV, JSON Lines or Parquet."),
]
Column = str | None
PayFromOption = Annotated[
    str | None,
    typer.Option(metavar="IDS", help="Count pay only from these analyses (their source ids)."),
]
NoLevelsOption = Annotated[
    bool, typer.Option("--no-levels", help="Pay of every level only, not of each level.")
]
TermsOption = Annotated[
    str | None,
    typer.Option(metavar="IDS", help="Only these vocabulary terms (comma-separated ids)."),
]
InCountryOption = Annotated[
    str | None, typer.Option(metavar="VALUE", help="Pay within this country only.")
]
InYearOption = Annotated[
    str | None, typer.Option(metavar="VALUE", help="Pay within this year only.")
]
SurveyOption = Annotated[
    bool, typer.Option("--survey", help="The pay is self-reported (a survey), not posted.")
]
SourcesRootOption = Annotated[
    str | None,
    typer.Option(
        metavar="DIR", help="Record each FILE's path relative to DIR (for verify --sources)."
    ),
]
UnknownOption = Annotated[
    int,
    typer.Option(metavar="N", min=0, help="List the N most frequent skills not in the vocabulary."),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace KB_DIR if it holds a KB and nothing else.")
]
SkillsColumn = Annotated[Column, _column("A list of skills: JSON, a Python list, | or ,.")]
TextColumn = Annotated[Column, _column("Free text (a description): terms it names count too.")]
LabelColumn = Annotated[Column, _column("Take roles from this column (same word rules as titles).")]
IdColumn = Annotated[Column, typer.Option("--id", metavar="COLUMN", help="A posting's id.")]
# The column options, by the name the importer knows each column by.
COLUMNS = ("title", "skills", "text", "salary", "date", "id", "label", "country", "level")


def import_postings(
    ctx: typer.Context,
    files: FilesArgument,
    out: OutKBOption,
    title: Annotated[Column, _column("The title column.")] = None,
    skills: SkillsColumn = None,
    text: TextColumn = None,
    salary: Annotated[Column, _column("Annual pay (a number).")] = None,
    date: Annotated[Column, _column("The date posted.")] = None,
    id_: IdColumn = None,
    label: LabelColumn = None,
    country: Annotated[Column, _column("The country, for pay.")] = None,
    level: Annotated[Column, _column("The experience level, for pay.")] = None,
    pay_from: PayFromOption = None,
    no_levels: NoLevelsOption = False,
    terms: TermsOption = None,
    in_country: InCountryOption = None,
    in_year: InYearOption = None,
    survey: SurveyOption = False,
    sources_root: SourcesRootOption = None,
    unknown: UnknownOption = 0,
    force: ForceOption = False,
    kb: KBOption = None,
) -> None:
    """Count what each role's postings ask for: N, k and a 95% interval per term.

    Roles come from each posting's title (docs/commands.md, "Counting postings"); every file
    becomes one source of the KB written, each figure with its file's sha256.

    \b
        rolecompare import postings postings.csv --out my-kb
        rolecompare --kb my-kb skills
    """
    from pathlib import Path

    from rolecompare.importers.postings import Options

    if out == "":
        raise UsageError("--out is empty; give the KB folder to write")
    given = (title, skills, text, salary, date, id_, label, country, level)
    options = Options(
        columns={k: v for k, v in zip(COLUMNS, given, strict=True) if v is not None},
        terms=None if terms is None else [t for t in _listed(terms) if t],
        country=in_country,
        year=in_year,
        survey=survey,
        sources_root=None if sources_root is None else Path(sources_root),
        unknown=unknown,
        levels=not no_levels,
        pay_from=None if pay_from is None else _listed(pay_from),
    )
    _count_postings(ctx, kb, files, out, options, force)


def _listed(words: str) -> list[str]:
    return [word.strip() for word in words.split(",")]


def _count_postings(
    ctx: typer.Context, kb: str | None, files: list[str], out: str, options: "Options", force: bool
) -> None:
    """Run the import with options, against the KB's vocabulary, and say what it wrote."""
    import sys
    from pathlib import Path

    from rolecompare.importers.postings import import_postings as run_import
    from rolecompare.text import shown

    data, _ = load(ctx, kb, None, every_term=True)
    known = {t["id"] for t in data["terms"]}
    for t in options.terms or []:
        if t not in known:
            raise UsageError(f"--terms: '{shown(t)}' is not a term of the KB")
    summary = run_import([Path(f) for f in files], Path(out), data, options, force=force)
    for line in summary.describe():
        print(line, file=sys.stderr)
    for a in summary.analyses:
        for name, n in a.unknown:
            print(f"{n}\t{shown(name)}\t{a.dataset.id}")
