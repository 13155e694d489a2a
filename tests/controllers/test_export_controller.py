"""Pieces of the export controller that need no HTTP round trip."""

from __future__ import annotations

import pytest

from healix.controllers.export_controller import period_details, safe_cell
from healix.utils.periods import Period


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+41 79", "'+41 79"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("ok=fine", "ok=fine"),
        ("motion_artifact", "motion_artifact"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell_defuses_formulas(cell, expected):
    assert safe_cell(cell) == expected


def test_period_details_hold_no_values():
    assert period_details("fhir") == {"format": "fhir"}
    assert set(period_details("csv", Period())) == {"format"}
