"""Pure helpers: redirect targets and spreadsheet-safe cells."""

import pytest

from app.security import safe_next
from app.tabular import csv_text, neutralise


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
        "/\tjavascript:alert(1)",
        "",
        None,
    ],
)
def test_foreign_or_odd_targets_are_refused(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/dashboard", "/admin/users?page=2&q=a"])
def test_paths_of_the_site_are_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("value", ["=1+1", "+49 30", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_other_cells_stay_as_they_are():
    assert neutralise("Müller") == "Müller"
    assert neutralise(None) == ""
    assert neutralise(3) == "3"
    assert neutralise({"b": 1, "a": "ä"}) == '{"a": "ä", "b": 1}'
    assert csv_text(["a"], [["=x"], ["y"]]) == "a\r\n'=x\r\ny\r\n"
