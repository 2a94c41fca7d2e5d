"""Import the O*NET® database (its tab-separated text files) as a complete KB folder.

    summary = import_onet(Path("onet-29.2"), Path("kb-onet"), ["15-2051.00", "15-1221.00"])
    summary = import_onet(db, out, None)             # every occupation in Occupation Data.txt

One role per occupation, and for each, every fact with a `record` that names its file,
the key columns that identify its row and the other columns it reads, exactly as in
the file (nothing rounded, merged or invented; what a file does not report for an
occupation is not in the KB). A statement's record holds the column its text comes
from, so that `rolecompare verify` can check every number in it:

    topic (command)                          fact, from
    onet-description (work)                  the description, Occupation Data.txt
    onet-alternate-titles* (work)            one per alternate title, Alternate Titles.txt
                                             (what `roles --search` also searches)
    onet-tasks, onet-supplemental-tasks*     one per task, Task Statements.txt; its item
      (work)                                 is its Task Type
    onet-technology (tools)                  one per example flagged Hot Technology or In
                                             Demand, Technology Skills.txt; item = example
    onet-technology-other* (tools)           one per example with neither flag
    onet-job-zone (education)                the zone's name, Job Zones.txt (named from
                                             Job Zone Reference.txt)
    onet-required-education (education)      a percent figure per category of scale RL,
                                             Education, Training, and Experience.txt
    onet-related-occupations (path)          one per related occupation, Related
                                             Occupations.txt; its item is its tier

(* detail topics: shown in tables only with --details.) A figure whose row has
`Recommend Suppress = Y` gets a statement on the same row saying so. A Data Value of
0.00 is a value O*NET reports, so it is a 0% figure.

Ids: a role's id is its code with the dot as a dash (15-2051.00 -> 15-2051-00); the
code itself is its first alias and its `occupations.onet`. Term ids are slugs of the
names (`+` -> plus, `#` -> sharp, `&` -> and; at most 64 characters), made over the
whole database so that they do not depend on which occupations are imported; where
two names make the same slug, the names in sorted order get the slug, then -2, -3, ...

Aliases: the code, then the occupation's Short Titles, then its Alternate Titles
(fewest words first, then shortest, then alphabetical), at most MAX_ALIASES besides
the code, each only if no other occupation in the database has it as its title, an
alternate title or a short title (compared as role names are: case, spaces, dashes
and dots ignored). So "Machine Learning Engineer", an alternate title of three
occupations, is an alias of none.

Timing: `benchmark(db_dir)` imports into a temporary folder and validates the result
with `rolecompare.kb.load.validate_dir` (which never reads the cache), returning seconds
and sizes:

    .venv/bin/python -c "from pathlib import Path; from rolecompare.importers.onet import
    benchmark; print(benchmark(Path('../shared/sources/onet-29.2')))"   (one line)

The package, by seam:

    read.py     the database's files: their names, rows (as verify reads them), release
    ids.py      term ids (slugs), role ids, names and aliases, the terms made
    facts.py    the figures and statements of each occupation, and the topics
    install.py  import_onet: write the KB beside the output folder, validate, move it in
"""

from rolecompare.importers.onet.ids import MAX_ALIASES, role_id, slug
from rolecompare.importers.onet.install import (
    SOURCE_ID,
    ImportSummary,
    benchmark,
    document_path,
    import_onet,
)
from rolecompare.importers.onet.read import DB_FILES

__all__ = [
    "DB_FILES",
    "MAX_ALIASES",
    "SOURCE_ID",
    "ImportSummary",
    "benchmark",
    "document_path",
    "import_onet",
    "role_id",
    "slug",
]
