"""Reading, writing and installing files safely: `import onet`, `verify` and `report`
never read or write where they should not, never hang or run out of memory on a
special file, never remove what they did not make, and cost time in proportion to
their input."""

from __future__ import annotations

from pathlib import Path

from rolecompare.importers import onet

ROOT = Path(__file__).resolve().parents[1]
SLICE = ROOT / "tests" / "fixtures" / "onet-29.2-slice"


class CountingSet(set[str]):
    """A set that counts how often it is asked whether it holds something."""

    checks = 0

    def __contains__(self, item: object) -> bool:
        type(self).checks += 1
        return super().__contains__(item)


# ---------------------------------------------------------------- ids in linear time


def test_names_that_make_one_slug_cost_linear_work() -> None:
    names = ["x" + "!" * i for i in range(1, 3001)]  # x!, x!!, ... all slug to "x"
    ids = onet._Ids()
    ids.taken = CountingSet()
    CountingSet.checks = 0
    got = ids.assign(names)
    assert sorted(got.values()) == sorted(["x", *(f"x-{k}" for k in range(2, 3001))])
    assert CountingSet.checks <= 3 * len(names), CountingSet.checks  # was 4.5 million


def test_clashing_slugs_keep_their_ids_after_a_bare_slug_of_the_same_form() -> None:
    """A name whose own slug is "x-2" holds that id; the clashing names skip it."""
    ids = onet._Ids()
    first = ids.assign(["x 2", "x 3"])
    assert first == {"x 2": "x-2", "x 3": "x-3"}
    second = ids.assign(["x!", "x@", "x$", "x%"])
    assert sorted(second.values()) == ["x", "x-4", "x-5", "x-6"]
    third = ids.assign(["x^", "x*"])
    assert sorted(third.values()) == ["x-7", "x-8"]
