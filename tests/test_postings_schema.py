"""The KB's counted figures: a share (k of n) or annual pay percentiles, with how they
were counted (dataset file, sha256, rule version)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from rolecompare.kb import schema

SHA = "c5d9b56452bb01f91e8c8f76b2b465a4c9b6732ef908aeb762f31664dcd2f721"
COUNTED = {
    "file": "sources/postings/data-jobs-2023/data_jobs_salary_all.csv",
    "sha256": SHA,
    "rule": "postings-2",
    "where": {"role": "ds", "term": "python"},
}
PAY = {
    "n": 5,
    "p10": 1.0,
    "p25": 2.0,
    "median": 3.0,
    "p75": 4.0,
    "p90": 5.0,
    "currency": "USD",
    "period": "year",
    "basis": "survey",
}


def _figure(**fields: Any) -> schema.Figure:
    return schema.Figure.model_validate({"topic": "t", "item": "python", **fields})


def test_a_share_with_how_it_was_counted_is_valid() -> None:
    fig = _figure(share={"k": 690, "n": 877}, counted=COUNTED)
    assert fig.share is not None
    assert (fig.share.k, fig.share.n) == (690, 877)


def test_pay_percentiles_with_how_they_were_counted_are_valid() -> None:
    assert _figure(pay=PAY, counted=COUNTED).pay is not None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"share": {"k": 9, "n": 8}, "counted": COUNTED}, "greater than n"),
        ({"share": {"k": 0, "n": 0}, "counted": COUNTED}, "greater than or equal to 1"),
        ({"share": {"k": 1, "n": 2}}, "comes with counted"),
        ({"percent": 5.0, "counted": COUNTED}, "comes with counted"),
        ({"share": {"k": 1, "n": 2}, "counted": COUNTED, "quote": "q"}, "no quote"),
        ({"share": {"k": 1, "n": 2}, "percent": 50.0, "counted": COUNTED}, "exactly one"),
        (
            {"share": {"k": 1, "n": 2, "percent": 50.0}, "counted": COUNTED},
            r"share\.percent\s+Extra",
        ),
        ({"pay": {**PAY, "p25": 9.0}, "counted": COUNTED}, "percentiles must rise"),
        ({"pay": {**PAY, "period": "hour"}, "counted": COUNTED}, "'year'"),
        ({"pay": {**PAY, "basis": "guess"}, "counted": COUNTED}, "'posted' or 'survey'"),
        ({"share": {"k": 1, "n": 2}, "counted": {**COUNTED, "sha256": "abc"}}, "pattern"),
        ({"share": {"k": 1, "n": 2}, "counted": {**COUNTED, "file": "/etc/x"}}, "plain"),
    ],
)
def test_a_counted_figure_that_breaks_a_rule_is_refused(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _figure(**fields)
